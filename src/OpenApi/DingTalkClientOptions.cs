namespace DingGen;

/// <summary>
/// Settings of a <see cref="DingTalkClient"/>: the app's credentials, the callback keys used when registering, where
/// DingTalk's server API lives, and how transient failures are retried.
/// </summary>
/// <remarks>
/// Through DI (<see cref="DingTalkClientServiceCollectionExtensions.AddDingTalkClient"/>) the credentials and keys come
/// from the app's <see cref="DingGenOptions"/> (<c>AppKey</c>, <c>AppSecret</c>, <c>Token</c>, <c>AesKey</c>) and the
/// rest is bound from its <c>OpenApi</c> sub-section (e.g. <c>DingGen:OpenApi:BaseAddress</c>).
/// </remarks>
public sealed class DingTalkClientOptions
{
    /// <summary>The address of DingTalk's server API (the "old" OpenAPI host): <c>https://oapi.dingtalk.com</c>.</summary>
    public const string DefaultBaseAddress = "https://oapi.dingtalk.com";

    /// <summary>The address of DingTalk's newer server API (robots, interactive cards): <c>https://api.dingtalk.com</c>.</summary>
    public const string DefaultApiBaseAddress = "https://api.dingtalk.com";

    /// <summary>The app's <c>AppKey</c> (ClientID). Required to call any API.</summary>
    public string? AppKey { get; set; }

    /// <summary>The app's <c>AppSecret</c> (ClientSecret). Required to call any API. Never logged.</summary>
    public string? AppSecret { get; set; }

    /// <summary>
    /// The callback <c>Token</c> sent to <c>register_call_back</c>/<c>update_call_back</c> by
    /// <see cref="DingTalkClient.SyncCallbackAsync"/>; must be the one the callback host verifies signatures with. Never logged.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The callback <c>AesKey</c> (43 characters) sent when registering by <see cref="DingTalkClient.SyncCallbackAsync"/>; must
    /// be the one the callback host decrypts with. Never logged.
    /// </summary>
    public string? AesKey { get; set; }

    /// <summary>
    /// The enterprise's CorpId (<c>ding…</c>): the owner key DingTalk encrypts the <c>check_url</c> of an API registration with.
    /// When set, <see cref="DingTalkClient.SyncCallbackAsync"/> plays that <c>check_url</c> against the URL itself before asking
    /// DingTalk, and names the cause when the host refuses it. Through DI it defaults to the app's <c>OwnerKey</c> when that is
    /// not the AppKey.
    /// </summary>
    public string? CorpId { get; set; }

    /// <summary>The base address of DingTalk's server API; default <see cref="DefaultBaseAddress"/>. Point it at a fake server in tests.</summary>
    public Uri BaseAddress { get; set; } = new(DefaultBaseAddress);

    /// <summary>
    /// The base address of DingTalk's newer server API (<c>api.dingtalk.com</c>: the robot send API and interactive cards), called
    /// with the same access token in the <c>x-acs-dingtalk-access-token</c> header. When <see langword="null"/> (the default):
    /// <see cref="DefaultApiBaseAddress"/> while <see cref="BaseAddress"/> is DingTalk's, else <see cref="BaseAddress"/>, so one
    /// fake server in tests serves both.
    /// </summary>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>
    /// How many times a call is retried after a transient failure; default 3. Every call is retried after HTTP 429 or 503 or
    /// DingTalk's errcode -1 (system busy); idempotent calls (GET) also after a connection failure, a timeout or another HTTP 5xx.
    /// Other DingTalk errors (<c>errcode</c> ≠ 0) are never retried, except the one token refresh.
    /// </summary>
    public int MaxTransientRetries { get; set; } = 3;

    /// <summary>
    /// The delay before the first retry; each further retry doubles it, with ±50 % jitter; default 200 ms.
    /// <see cref="TimeSpan.Zero"/> retries at once.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long before its <c>expires_in</c> an access token is replaced; default 5 minutes (DingTalk tokens live 7200 s).
    /// Capped at half the token's lifetime.
    /// </summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="CallTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The overall deadline of one call, token fetch, attempts and backoff waits included; default <see cref="DefaultCallTimeout"/>.
    /// When it passes the call throws <see cref="TimeoutException"/>. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;
}
