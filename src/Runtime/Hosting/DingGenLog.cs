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

    [LoggerMessage(EventId = 7, EventName = "ConfigurationInvalid", Level = LogLevel.Error,
        Message = "DingTalk callback for {App} cannot be served: its configuration is invalid ({Failures}).")]
    public static partial void ConfigurationInvalid(ILogger logger, string app, string failures);

    [LoggerMessage(EventId = 8, EventName = "InteractionRejected", Level = LogLevel.Warning,
        Message = "DingTalk {Kind} for {App} rejected with HTTP {StatusCode}: errcode {ErrorCode} ({Reason}); no handler ran.")]
    public static partial void InteractionRejected(ILogger logger, string kind, string app, int statusCode, int errorCode, string reason);
}
