using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// Source-generated logs of <see cref="DingTalkClient"/>: API path, errcode, attempts, durations, token refreshes.
/// Never the AppSecret, an access token, a callback Token/AesKey or a response body.
/// </summary>
internal static partial class DingOpenApiLog
{
    [LoggerMessage(EventId = 101, EventName = "ApiCallSucceeded", Level = LogLevel.Debug,
        Message = "DingTalk API {Api} for app {AppKey} succeeded in {DurationMs} ms.")]
    public static partial void ApiCallSucceeded(ILogger logger, string api, string? appKey, double durationMs);

    [LoggerMessage(EventId = 102, EventName = "ApiCallFailed", Level = LogLevel.Warning,
        Message = "DingTalk API {Api} for app {AppKey} answered errcode {ErrorCode} ({ErrorMessage}); not retried.")]
    public static partial void ApiCallFailed(ILogger logger, string api, string? appKey, int errorCode, string errorMessage);

    [LoggerMessage(EventId = 103, EventName = "TransientFailureRetrying", Level = LogLevel.Warning,
        Message = "DingTalk API {Api} failed transiently ({Failure}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    public static partial void TransientFailureRetrying(ILogger logger, string api, string failure, int retry, int maxRetries, double delayMs);

    [LoggerMessage(EventId = 104, EventName = "TransientFailureGaveUp", Level = LogLevel.Error,
        Message = "DingTalk API {Api} failed transiently ({Failure}) after {Attempts} attempts; giving up.")]
    public static partial void TransientFailureGaveUp(ILogger logger, string api, string failure, int attempts);

    [LoggerMessage(EventId = 105, EventName = "AccessTokenRefreshed", Level = LogLevel.Information,
        Message = "DingTalk access token for app {AppKey} fetched; valid {ExpiresInSeconds} s, reused until {RefreshAt:O}.")]
    public static partial void AccessTokenRefreshed(ILogger logger, string? appKey, long expiresInSeconds, DateTimeOffset refreshAt);

    [LoggerMessage(EventId = 106, EventName = "AccessTokenRejected", Level = LogLevel.Information,
        Message = "DingTalk API {Api} rejected the access token of app {AppKey} (errcode {ErrorCode}); refreshing it and retrying once.")]
    public static partial void AccessTokenRejected(ILogger logger, string api, string? appKey, int errorCode);

    [LoggerMessage(EventId = 107, EventName = "CallbackSynced", Level = LogLevel.Information,
        Message = "DingTalk callback of app {AppKey} {Action}: url {Url}, {TagCount} tags (+{Added} -{Removed}).")]
    public static partial void CallbackSynced(ILogger logger, string? appKey, string action, string url, int tagCount, int added, int removed);

    [LoggerMessage(EventId = 108, EventName = "PreflightSkipped", Level = LogLevel.Warning,
        Message = "DingTalk callback of app {AppKey}: the pre-flight check_url was skipped because {Setting} is not set; a host that refuses DingTalk's check is then only reported by DingTalk (71009/71012).")]
    public static partial void PreflightSkipped(ILogger logger, string? appKey, string setting);

    [LoggerMessage(EventId = 109, EventName = "CallDeadlinePassed", Level = LogLevel.Error,
        Message = "DingTalk API {Api} did not answer within the call's deadline of {DeadlineSeconds} s (OpenApi:CallTimeout), retries included; giving up.")]
    public static partial void CallDeadlinePassed(ILogger logger, string api, double deadlineSeconds);
}
