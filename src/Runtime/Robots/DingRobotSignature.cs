using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DingGen;

/// <summary>The outcome of <see cref="DingRobotSignature.Verify"/>.</summary>
public enum DingRobotSignatureStatus
{
    /// <summary>The signature is the app's and the timestamp is within the allowed skew.</summary>
    Valid = 0,

    /// <summary>The <c>timestamp</c> or <c>sign</c> header is missing.</summary>
    Missing = 1,

    /// <summary>The <c>timestamp</c> header is not a number of Unix milliseconds.</summary>
    MalformedTimestamp = 2,

    /// <summary>The timestamp is further from the host's clock than the allowed skew (one hour).</summary>
    Stale = 3,

    /// <summary>The signature does not match the app's secret.</summary>
    Mismatch = 4,
}

/// <summary>
/// The signature DingTalk puts in the headers of HTTP robot messages and card callbacks: <c>timestamp</c> (Unix milliseconds) and
/// <c>sign</c> = Base64(HMAC-SHA256(key: AppSecret, data: timestamp + "\n" + AppSecret)). A request is refused when its timestamp is
/// more than an hour from the host's clock.
/// </summary>
public static class DingRobotSignature
{
    /// <summary>How far a timestamp may be from the host's clock: one hour, as DingTalk documents.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromHours(1);

    /// <summary>Computes the <c>sign</c> header for <paramref name="timestamp"/> (the <c>timestamp</c> header's text).</summary>
    /// <param name="appSecret">The app's AppSecret (<c>DingGen:AppSecret</c>).</param>
    /// <param name="timestamp">The <c>timestamp</c> header, Unix milliseconds as text.</param>
    public static string Compute(string appSecret, string timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        ArgumentNullException.ThrowIfNull(timestamp);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(appSecret, timestamp, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Computes the <c>timestamp</c> and <c>sign</c> headers for a request sent at <paramref name="now"/>.</summary>
    public static (string Timestamp, string Sign) Sign(string appSecret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return (timestamp, Compute(appSecret, timestamp));
    }

    /// <summary>
    /// Checks the <c>timestamp</c> and <c>sign</c> headers of a request received at <paramref name="now"/>: the signature is compared
    /// in constant time, and a timestamp more than <see cref="MaxSkew"/> away is <see cref="DingRobotSignatureStatus.Stale"/>.
    /// </summary>
    public static DingRobotSignatureStatus Verify(string appSecret, string? timestamp, string? sign, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(sign))
        {
            return DingRobotSignatureStatus.Missing;
        }

        if (timestamp.Length > 19
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return DingRobotSignatureStatus.MalformedTimestamp;
        }

        var skew = now - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        if (skew.Duration() > MaxSkew)
        {
            return DingRobotSignatureStatus.Stale;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(appSecret, timestamp, expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes + 3];
        if (!Convert.TryFromBase64String(sign, given, out var written) || written != HMACSHA256.HashSizeInBytes)
        {
            return DingRobotSignatureStatus.Mismatch;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given[..written])
            ? DingRobotSignatureStatus.Valid
            : DingRobotSignatureStatus.Mismatch;
    }

    private static void ComputeMac(string appSecret, string timestamp, Span<byte> mac)
    {
        var key = Encoding.UTF8.GetBytes(appSecret);
        var data = Encoding.UTF8.GetBytes(timestamp + "\n" + appSecret);
        HMACSHA256.HashData(key, data, mac);
    }
}
