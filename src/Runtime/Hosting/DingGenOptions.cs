using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The settings of one DingTalk app, bound from the configuration section passed to
/// <see cref="DingGenServiceCollectionExtensions.AddDingGen(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
/// (for example <c>"DingGen": { "Token": "…", "AesKey": "…", "AppKey": "…" }</c>, or the environment variables
/// <c>DingGen__Token</c>, <c>DingGen__AesKey</c>, <c>DingGen__AppKey</c>).
/// </summary>
/// <remarks>
/// <para>Named options: the unnamed <c>AddDingGen</c> configures <see cref="DingGenServiceCollectionExtensions.DefaultAppName"/>;
/// <c>AddDingGen(name, section)</c> configures the app <c>name</c>, read with <c>IOptionsMonitor&lt;DingGenOptions&gt;.Get(name)</c>.</para>
/// <para>Validated at start-up. <see cref="Token"/> and <see cref="AesKey"/> are required only for an app with an HTTP
/// callback mapped by <c>MapDingCallback</c>. Validation messages name the setting, never its value.</para>
/// </remarks>
public sealed class DingGenOptions
{
    /// <summary>The default of <see cref="MaxBodyBytes"/>: 64 KiB, far above any DingTalk callback body.</summary>
    public const int DefaultMaxBodyBytes = 64 * 1024;

    /// <summary>The placeholder owner key DingTalk encrypts <c>check_create_suite_url</c> with while an ISV suite does not exist yet.</summary>
    public const string SuiteCreationPlaceholderOwnerKey = "suite4xxxxxxxxxxxxxxx";

    /// <summary>
    /// The callback <c>Token</c>: the secret the SHA-1 signature of every callback is computed with (the "签名 Token" /
    /// <c>token</c> of the event subscription). Required when a callback is mapped for this app.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The callback <c>AesKey</c> (EncodingAESKey, "加密 aes_key"): 43 letters and digits. Required when a callback is
    /// mapped for this app.
    /// </summary>
    public string? AesKey { get; set; }

    /// <summary>The app's <c>AppKey</c> (also called ClientID, or SuiteKey for an ISV suite).</summary>
    [Required(ErrorMessage = "AppKey is required: set it to the DingTalk app's AppKey (ClientID).")]
    public string? AppKey { get; set; }

    /// <summary>
    /// The key DingTalk writes inside every ciphertext and the receiver checks after decryption. Defaults to
    /// <see cref="AppKey"/>, which is right for events subscribed in the developer console ("事件订阅").
    /// Set it to the enterprise <b>CorpId</b> (<c>ding…</c>) for a callback registered with the old
    /// <c>call_back/register_call_back</c> API, to the <b>SuiteKey</b> for a third-party (ISV) suite,
    /// or to the <b>customKey</b> for a customised app.
    /// </summary>
    public string? OwnerKey { get; set; }

    /// <summary>
    /// The app's <c>AppSecret</c> (ClientSecret): used by DingTalk server API calls and stream mode, and the key of the <c>sign</c> header
    /// of HTTP robot messages and card callbacks (<see cref="DingRobotSignature"/>); not needed to receive encrypted event callbacks.
    /// </summary>
    public string? AppSecret { get; set; }

    /// <summary>
    /// The largest request body accepted, in bytes (default 64 KiB, <see cref="DefaultMaxBodyBytes"/>). A larger body is
    /// answered 413 without being decrypted; the limit is enforced while reading, not only from <c>Content-Length</c>.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "MaxBodyBytes must be between 1024 and 16777216.")]
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// Accept DingTalk's placeholder owner key <c>suite4xxxxxxxxxxxxxxx</c> (<see cref="SuiteCreationPlaceholderOwnerKey"/>)
    /// for the <c>check_create_suite_url</c> validation sent while an ISV suite is being created, and only for that event:
    /// any other event under the placeholder key is rejected with 401. The reply is encrypted with the placeholder key,
    /// as DingTalk expects. Default <see langword="false"/>; turn it off again once the suite exists.
    /// </summary>
    public bool AcceptSuiteCreationPlaceholder { get; set; }

    /// <summary>
    /// The callback <c>Token</c> in use before the current <see cref="Token"/>, accepted until <see cref="PreviousKeysUntil"/>
    /// so that a key rotation loses no delivery. Optional; when only <see cref="PreviousAesKey"/> is set, the previous
    /// keys use the current <see cref="Token"/>.
    /// </summary>
    public string? PreviousToken { get; set; }

    /// <summary>
    /// The <c>AesKey</c> in use before the current <see cref="AesKey"/> (43 letters and digits), accepted until
    /// <see cref="PreviousKeysUntil"/>. Optional; when only <see cref="PreviousToken"/> is set, the previous keys use the
    /// current <see cref="AesKey"/>.
    /// </summary>
    public string? PreviousAesKey { get; set; }

    /// <summary>
    /// The instant (an absolute time, for example <c>2025-07-01T00:00:00Z</c>) until which callbacks and inbox entries sealed
    /// with <see cref="PreviousToken"/>/<see cref="PreviousAesKey"/> are still opened. Required when either is set. A request
    /// that the current keys cannot open is tried with the previous keys while the window is open, and its reply is sealed
    /// with the keys that opened it. After this instant the previous keys are ignored.
    /// </summary>
    public DateTimeOffset? PreviousKeysUntil { get; set; }

    /// <summary>
    /// The opt-in replay guard (sub-section <c>ReplayGuard</c>: <c>Enabled</c>, <c>TimestampTolerance</c>, <c>NonceCacheSize</c>):
    /// rejects verified requests with a stale timestamp or a signature already accepted. Off by default.
    /// </summary>
    public DingReplayGuardOptions ReplayGuard { get; set; } = new();

    /// <summary>The owner key in effect: <see cref="OwnerKey"/> when set, else <see cref="AppKey"/>.</summary>
    internal string? EffectiveOwnerKey => string.IsNullOrEmpty(OwnerKey) ? AppKey : OwnerKey;

    /// <summary>Whether previous keys are configured (<see cref="PreviousToken"/> or <see cref="PreviousAesKey"/>).</summary>
    internal bool HasPreviousKeys => !string.IsNullOrEmpty(PreviousToken) || !string.IsNullOrEmpty(PreviousAesKey);
}

/// <summary>Validates the data-annotation rules of <see cref="DingGenOptions"/> without reflection (source-generated).</summary>
[OptionsValidator]
internal sealed partial class DingGenOptionsAnnotationsValidator : IValidateOptions<DingGenOptions>
{
}
