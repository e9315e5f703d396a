using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The replay guard of one DingTalk app's callback endpoint, bound from the <c>ReplayGuard</c> sub-section of the app's
/// configuration section (<c>"DingGen": { "ReplayGuard": { "Enabled": true, "TimestampTolerance": "00:05:00" } }</c>, or
/// <c>DingGen__ReplayGuard__Enabled=true</c>). Off by default; see <c>docs/replay-guard.md</c> for the trade-off.
/// </summary>
/// <remarks>
/// <para>With the guard on, a request whose signature verified, decrypted and carried the right owner key is also
/// rejected (HTTP 401, no handler runs) when its <c>timestamp</c> is not 13 digits (milliseconds, DingTalk's format) or
/// 10 digits (seconds), or lies more than <see cref="TimestampTolerance"/> away from the host's clock in either
/// direction (<see cref="DingCallbackErrorCode.TimestampRejected"/>), or when a request with the same signature was
/// accepted before within that window (<see cref="DingCallbackErrorCode.ReplayRejected"/>). The signature is a SHA-1 over
/// the token, timestamp, nonce and ciphertext, so it stands for the whole (timestamp, nonce, body) triple.</para>
/// <para>A request whose handler failed (answered 500) is forgotten again, so DingTalk's redelivery of it is not taken
/// for a replay. Unverified requests never enter the cache.</para>
/// </remarks>
public sealed class DingReplayGuardOptions
{
    /// <summary>The default of <see cref="TimestampTolerance"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTimestampTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The default of <see cref="NonceCacheSize"/>: 100,000 requests (about 7 MB when full).</summary>
    public const int DefaultNonceCacheSize = 100_000;

    /// <summary>Turns the guard on. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How far a request's timestamp may lie from the host's clock, in the past or the future (default 5 minutes,
    /// between 1 second and 1 day). It must cover DingTalk's redelivery schedule (+10 s, then +30 s) plus the clock skew
    /// between DingTalk and this host, in case a redelivery keeps the original timestamp.
    /// </summary>
    public TimeSpan TimestampTolerance { get; set; } = DefaultTimestampTolerance;

    /// <summary>
    /// The most accepted requests remembered (default 100,000, between 1,000 and 10,000,000). An entry lives until its
    /// timestamp leaves the tolerance window; when the cache is full the entry closest to expiry is dropped first and a
    /// warning is logged, since a replay of a dropped entry within the window would no longer be caught. Size it above
    /// the number of callbacks the app receives in twice the tolerance.
    /// </summary>
    public int NonceCacheSize { get; set; } = DefaultNonceCacheSize;
}

/// <summary>Validates <see cref="DingGenOptions.ReplayGuard"/>; messages name the setting with its configuration path, never its value.</summary>
internal sealed class DingReplayGuardOptionsValidator : IValidateOptions<DingGenOptions>
{
    internal static readonly TimeSpan MinTolerance = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxTolerance = TimeSpan.FromDays(1);
    internal const int MinCacheSize = 1_000;
    internal const int MaxCacheSize = 10_000_000;

    private readonly DingGenAppRegistry _registry;

    public DingReplayGuardOptionsValidator(DingGenAppRegistry registry)
    {
        _registry = registry;
    }

    public ValidateOptionsResult Validate(string? name, DingGenOptions options)
    {
        name ??= Options.DefaultName;
        if (!_registry.IsApp(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var guard = options.ReplayGuard;
        if (guard is null)
        {
            return ValidateOptionsResult.Fail($"{_registry.SettingPrefix(name)}ReplayGuard must not be null; remove it to use the defaults.");
        }

        var prefix = _registry.SettingPrefix(name) + "ReplayGuard:";
        List<string>? failures = null;
        if (guard.TimestampTolerance < MinTolerance || guard.TimestampTolerance > MaxTolerance)
        {
            (failures ??= []).Add($"{prefix}TimestampTolerance must be between 00:00:01 and 1.00:00:00 (a TimeSpan such as 00:05:00).");
        }

        if (guard.NonceCacheSize is < MinCacheSize or > MaxCacheSize)
        {
            (failures ??= []).Add($"{prefix}NonceCacheSize must be between {MinCacheSize} and {MaxCacheSize}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
