using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// DingGen's source-generated log messages (category <c>DingGen.Callback</c>). They carry event types, corp ids,
/// outcomes, durations, error codes and handler names; never a token, key, signature input or payload.
/// </summary>
internal static partial class DingGenLog
{
    public const string Category = "DingGen.Callback";

    [LoggerMessage(EventId = 1, EventName = "CallbackRejected", Level = LogLevel.Warning,
        Message = "DingTalk callback for {App} rejected with HTTP {StatusCode}: errcode {ErrorCode} ({Reason}); no handler ran.")]
    public static partial void CallbackRejected(ILogger logger, string app, int statusCode, int errorCode, string reason);

    [LoggerMessage(EventId = 2, EventName = "UrlValidationAnswered", Level = LogLevel.Information,
        Message = "DingTalk URL validation {EventType} for {App} answered with success.")]
    public static partial void UrlValidationAnswered(ILogger logger, string app, string eventType);

    [LoggerMessage(EventId = 3, EventName = "CallbackCompleted", Level = LogLevel.Information,
        Message = "DingTalk event {EventType} for {App} (corp {CorpId}) {Outcome} in {DurationMs} ms.")]
    public static partial void CallbackCompleted(ILogger logger, string app, string eventType, string? corpId, string outcome, double durationMs);

    [LoggerMessage(EventId = 4, EventName = "HandlerFailed", Level = LogLevel.Error,
        Message = "DingTalk event handler {HandlerName} failed on {EventType} for {App}; answered 500 so DingTalk redelivers.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handlerName, string eventType, string app);

    [LoggerMessage(EventId = 5, EventName = "DeadlineAtRisk", Level = LogLevel.Warning,
        Message = "DingTalk deadline at risk: {EventType} for {App} took {DurationMs} ms (DingTalk waits 1500 ms); handlers: {HandlerDurations}. Acknowledge first and queue slow work.")]
    public static partial void DeadlineAtRisk(ILogger logger, string eventType, string app, double durationMs, string handlerDurations);

    [LoggerMessage(EventId = 6, EventName = "DispatcherFailed", Level = LogLevel.Error,
        Message = "Dispatching DingTalk event {EventType} for {App} threw; answered 500 so DingTalk redelivers.")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception, string eventType, string app);

    [LoggerMessage(EventId = 7, EventName = "ConfigurationInvalid", Level = LogLevel.Error,
        Message = "DingTalk callback for {App} cannot be served: its configuration is invalid ({Failures}).")]
    public static partial void ConfigurationInvalid(ILogger logger, string app, string failures);
}
