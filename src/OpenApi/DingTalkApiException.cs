using System.Globalization;

namespace DingGen;

/// <summary>
/// DingTalk answered a server API call with an error (<c>errcode</c> ≠ 0), or with a body that is not DingTalk's JSON.
/// <see cref="Hint"/> says what to do for the errors users meet when registering a callback (spec 3.7).
/// </summary>
/// <remarks>The message holds the errcode, DingTalk's errmsg and the hint; never the AppSecret, the access token or the callback keys.</remarks>
public sealed class DingTalkApiException : Exception
{
    /// <summary>The <see cref="ErrorCode"/> used when the response was not DingTalk's JSON (no readable <c>errcode</c>); not a DingTalk code.</summary>
    public const int InvalidResponseCode = -1000;

    /// <summary>DingTalk's own <c>errcode</c> -1, "system busy" (系统繁忙): transient; the client retries it like an HTTP 503.</summary>
    public const int SystemBusyCode = -1;

    /// <summary>The topapi <c>errcode</c> (88) that carries the real error in <c>sub_code</c>, e.g. 40014 for an invalid access token.</summary>
    public const int TopApiSubCodeErrorCode = 88;

    /// <summary>Creates the exception for DingTalk's answer <paramref name="errorCode"/>/<paramref name="errorMessage"/> to <paramref name="api"/>.</summary>
    /// <param name="errorCode">DingTalk's <c>errcode</c>.</param>
    /// <param name="errorMessage">DingTalk's <c>errmsg</c>.</param>
    /// <param name="api">The API path, e.g. <c>/call_back/register_call_back</c>.</param>
    public DingTalkApiException(int errorCode, string errorMessage, string api)
        : this(errorCode, errorMessage, api, GetHint(errorCode, errorMessage))
    {
    }

    /// <summary>Creates the exception with an explicit hint.</summary>
    /// <param name="errorCode">DingTalk's <c>errcode</c>.</param>
    /// <param name="errorMessage">DingTalk's <c>errmsg</c>.</param>
    /// <param name="api">The API path.</param>
    /// <param name="hint">What the user can do, or <see langword="null"/>.</param>
    public DingTalkApiException(int errorCode, string errorMessage, string api, string? hint)
        : base(FormatMessage(errorCode, errorMessage, api, hint))
    {
        ErrorCode = errorCode;
        ErrorMessage = errorMessage ?? string.Empty;
        Api = api ?? string.Empty;
        Hint = hint;
    }

    /// <summary>DingTalk's <c>errcode</c> (<see cref="InvalidResponseCode"/> when the response was unreadable).</summary>
    public int ErrorCode { get; }

    /// <summary>DingTalk's <c>errmsg</c>, verbatim (often Chinese).</summary>
    public string ErrorMessage { get; }

    /// <summary>The API path that failed, e.g. <c>/call_back/register_call_back</c>.</summary>
    public string Api { get; }

    /// <summary>What the user can do about the error, or <see langword="null"/> when there is nothing specific to say.</summary>
    public string? Hint { get; }

    /// <summary>DingTalk's <c>sub_code</c> (topapi answers, e.g. <c>40014</c> under errcode 88), or <see langword="null"/>.</summary>
    public string? SubCode { get; init; }

    /// <summary>DingTalk's <c>sub_msg</c> (topapi answers), or <see langword="null"/>.</summary>
    public string? SubMessage { get; init; }

    /// <summary>Whether the error says the access token is bad, invalid or expired (40001, 40014, 42001, or 88 with sub_code 40014).</summary>
    public bool IsAccessTokenError => IsAccessTokenErrorCode(ErrorCode, SubCode);

    internal static bool IsAccessTokenErrorCode(int errorCode, string? subCode = null) =>
        errorCode is 40001 or 40014 or 42001 || (errorCode == TopApiSubCodeErrorCode && subCode is "40001" or "40014" or "42001");

    /// <summary>The actionable hint for a DingTalk <c>errcode</c> (spec 3.7), or a generic one.</summary>
    /// <param name="errorCode">DingTalk's <c>errcode</c>.</param>
    /// <param name="errorMessage">DingTalk's <c>errmsg</c>, quoted where it carries the detail (71012).</param>
    public static string? GetHint(int errorCode, string? errorMessage) => errorCode switch
    {
        0 => null,
        InvalidResponseCode => "The response was not DingTalk's JSON: check OpenApi:BaseAddress (a proxy or a wrong host answers with HTML).",
        SystemBusyCode => "DingTalk is busy (system busy, errcode -1): a transient error, already retried; try again in a moment.",
        71006 => "A callback is already registered for this app (one URL per app): update it with UpdateCallbackAsync, or use SyncCallbackAsync, which registers or updates as needed.",
        71007 => "No callback is registered for this app: register one first (RegisterCallbackAsync or SyncCallbackAsync).",
        71008 => "A call_back_tag is not an event type DingTalk knows" + QuoteTag(errorMessage) + ": check the tag list (DingEventTypes holds the known ones; check_* handshakes are never registered).",
        71009 => "The URL answered but its reply did not decrypt to success: the host's Token/AesKey differ from the ones registered, or its OwnerKey is not the CorpId — callbacks registered through the API are encrypted with the CorpId as owner key (set DingGen:OwnerKey to the CorpId, ding…); also check that the URL reaches this host and not a proxy's error page.",
        71010 => "The registration request was malformed or missing fields (call_back_tag must be an array; token, aes_key and url are required; aes_key is 43 characters).",
        71011 => "The callback url is not a valid URL: use an absolute http(s) URL, e.g. https://example.com/dingtalk/callback.",
        71012 => "DingTalk could not reach the callback URL, or the host refused its check (" + (string.IsNullOrEmpty(errorMessage) ? "no detail" : errorMessage) + "): the URL must be publicly reachable, serve MapDingCallback at that path and answer within 1.5 s — and the host must accept the check: its Token and AesKey must be the ones registered and its OwnerKey the CorpId (DingGen:OwnerKey = ding…), or it refuses the check (HTTP 401) and some servers report that as unreachable.",
        71013 => "DingTalk does not allow callbacks to this domain or IP: use a public domain (not an intranet address or a blocked host).",
        40001 or 40014 or 42001 => "The access token was rejected (bad, invalid or expired); the client refreshes it once automatically, so a repeated failure means AppKey/AppSecret belong to another app or the token is used elsewhere.",
        40089 or 40096 => "DingTalk rejected the credentials: check AppKey and AppSecret (DingGen:AppKey, DingGen:AppSecret) — the secret is case-sensitive.",
        _ => "See DingTalk's server API error codes (https://open.dingtalk.com/document/development/server-api-error-codes-1) for errcode " + errorCode.ToString(CultureInfo.InvariantCulture) + ".",
    };

    private static string QuoteTag(string? errorMessage) => string.IsNullOrEmpty(errorMessage) ? string.Empty : " (DingTalk said: " + errorMessage + ")";

    private static string FormatMessage(int errorCode, string? errorMessage, string? api, string? hint)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"DingTalk API {api} failed with errcode {errorCode}: {errorMessage}");
        return string.IsNullOrEmpty(hint) ? text : text + ". " + hint;
    }
}
