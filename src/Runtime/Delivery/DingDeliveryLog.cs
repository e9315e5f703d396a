using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// The log lines of a delivery, whatever its channel (category <c>DingGen.Delivery</c>). Never a payload, a key or a signature:
/// tags, ids, corp ids, handler names, outcomes and durations only.
/// </summary>
internal static partial class DingDeliveryLog
{
    /// <summary>The log category of every delivery line.</summary>
    public const string Category = "DingGen.Delivery";

    [LoggerMessage(EventId = 201, EventName = "DeliveryCompleted", Level = LogLevel.Information,
        Message = "DingTalk event {EventType} ({EventId}) for {App} via {Channel} (corp {CorpId}) {Outcome} in {DurationMs} ms.")]
    public static partial void Completed(ILogger logger, string eventType, string eventId, string app, string channel, string? corpId, string outcome, double durationMs);

    [LoggerMessage(EventId = 202, EventName = "DeliveryUnhandled", Level = LogLevel.Information,
        Message = "DingTalk event {EventType} ({EventId}) for {App} via {Channel} has no handler; acknowledged so DingTalk does not redeliver. Untick it at DingTalk or add a handler.")]
    public static partial void Unhandled(ILogger logger, string eventType, string eventId, string app, string channel);

    [LoggerMessage(EventId = 203, EventName = "HandlerFailed", Level = LogLevel.Error,
        Message = "DingTalk event handler {HandlerName} failed on {EventType} ({EventId}) for {App} via {Channel}; {Consequence}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handlerName, string eventType, string eventId, string app, string channel, string consequence);

    [LoggerMessage(EventId = 204, EventName = "DispatcherFailed", Level = LogLevel.Error,
        Message = "Dispatching DingTalk event {EventType} ({EventId}) for {App} via {Channel} threw; {Consequence}.")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception, string eventType, string eventId, string app, string channel, string consequence);

    [LoggerMessage(EventId = 205, EventName = "DeadlineAtRisk", Level = LogLevel.Warning,
        Message = "DingTalk deadline at risk: {EventType} for {App} took {DurationMs} ms (DingTalk waits 1500 ms); handlers: {HandlerDurations}. Acknowledge first and queue slow work (turn on the durable inbox).")]
    public static partial void DeadlineAtRisk(ILogger logger, string eventType, string app, double durationMs, string handlerDurations);

    [LoggerMessage(EventId = 206, EventName = "DeliveryObserverFailed", Level = LogLevel.Warning,
        Message = "The delivery observer {Observer} threw; the delivery's outcome is unchanged.")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer);

    [LoggerMessage(EventId = 207, EventName = "InteractionUnhandled", Level = LogLevel.Information,
        Message = "DingTalk {EventType} ({Id}) for {App} via {Channel} matched no handler ({Filter}); answered without a response. Check the handlers' filters, or register the module that handles it.")]
    public static partial void InteractionUnhandled(ILogger logger, string eventType, string id, string app, string channel, string filter);

    [LoggerMessage(EventId = 208, EventName = "RobotReplyFailed", Level = LogLevel.Error,
        Message = "Robot reply {Index} of {Count} ({ReplyKind}) to message {MsgId} for {App} could not be sent: {Reason}. The other replies are still sent; DingTalk does not redeliver the message.")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, int index, int count, string replyKind, string msgId, string app, string reason);

    [LoggerMessage(EventId = 209, EventName = "RobotReplySenderMissing", Level = LogLevel.Error,
        Message = "Robot handlers returned {Count} reply(ies) to message {MsgId} for {App}, but no IDingRobotReplySender is registered: nothing was sent. Register one (DingGen.OpenApi provides the session-webhook and robot API sender).")]
    public static partial void ReplySenderMissing(ILogger logger, int count, string msgId, string app);
}
