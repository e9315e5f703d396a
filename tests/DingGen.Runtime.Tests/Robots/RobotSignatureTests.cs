namespace DingGen.Runtime.Tests.Robots;

/// <summary>
/// The HTTP robot and card-callback signature. The expected values were computed outside .NET, with Python's <c>hmac</c> and
/// <c>base64</c> modules: <c>base64.b64encode(hmac.new(secret.encode(), (timestamp + "\n" + secret).encode(), hashlib.sha256).digest())</c>.
/// </summary>
public sealed class RobotSignatureTests
{
    public static TheoryData<string, string, string> Vectors => new()
    {
        { "fake-app-secret", "1764684000000", "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSo=" },
        { "SEC-Zx9u_ö密钥", "1700000000123", "+dqXLJs9M1G6GpsAwvcYgz95eUf4CyM275PIvlpr4GY=" },
        { "a", "0", "ekckeO/trud6REyjXHHpR4jOwde9tyVih7OOpzhn58Q=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_matches_the_independently_computed_signature(string secret, string timestamp, string expected)
    {
        Assert.Equal(expected, DingRobotSignature.Compute(secret, timestamp));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_accepts_the_vector_at_its_own_time(string secret, string timestamp, string sign)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DingRobotSignatureStatus.Valid, DingRobotSignature.Verify(secret, timestamp, sign, now));
        Assert.Equal(DingRobotSignatureStatus.Valid, DingRobotSignature.Verify(secret, timestamp, sign, now + TimeSpan.FromMinutes(59)));
        Assert.Equal(DingRobotSignatureStatus.Valid, DingRobotSignature.Verify(secret, timestamp, sign, now - TimeSpan.FromMinutes(59)));
    }

    [Fact]
    public void A_timestamp_more_than_an_hour_off_is_stale_in_either_direction()
    {
        const string timestamp = "1764684000000";
        const string sign = "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSo=";
        var sent = DateTimeOffset.FromUnixTimeMilliseconds(1764684000000);
        Assert.Equal(DingRobotSignatureStatus.Stale, DingRobotSignature.Verify("fake-app-secret", timestamp, sign, sent + TimeSpan.FromMinutes(61)));
        Assert.Equal(DingRobotSignatureStatus.Stale, DingRobotSignature.Verify("fake-app-secret", timestamp, sign, sent - TimeSpan.FromMinutes(61)));
    }

    [Theory]
    [InlineData("other-secret", "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSo=")]
    [InlineData("fake-app-secret", "ITd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSo=")]
    [InlineData("fake-app-secret", "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSw=")]
    [InlineData("fake-app-secret", "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPS")]
    [InlineData("fake-app-secret", "not base64 at all")]
    [InlineData("fake-app-secret", "HTd7PjN1Q2UJs8MEf/xyUS+yVzxdZocpzkEOljBPPSoAAAA=")]
    public void A_wrong_secret_or_altered_signature_is_a_mismatch(string secret, string sign)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1764684000000);
        Assert.Equal(DingRobotSignatureStatus.Mismatch, DingRobotSignature.Verify(secret, "1764684000000", sign, now));
    }

    [Theory]
    [InlineData(null, "x")]
    [InlineData("1764684000000", null)]
    [InlineData("", "x")]
    public void Missing_headers_are_reported_as_missing(string? timestamp, string? sign)
    {
        Assert.Equal(DingRobotSignatureStatus.Missing, DingRobotSignature.Verify("s", timestamp, sign, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("17646840000.5")]
    [InlineData(" 1764684000000")]
    [InlineData("99999999999999999999")]
    [InlineData("abc")]
    public void A_timestamp_that_is_not_unix_milliseconds_is_malformed(string timestamp)
    {
        Assert.Equal(DingRobotSignatureStatus.MalformedTimestamp, DingRobotSignature.Verify("s", timestamp, "x", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Sign_produces_headers_that_verify()
    {
        var now = new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
        var (timestamp, sign) = DingRobotSignature.Sign("fake-app-secret", now);
        Assert.Equal(now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(DingRobotSignatureStatus.Valid, DingRobotSignature.Verify("fake-app-secret", timestamp, sign, now));
    }
}
