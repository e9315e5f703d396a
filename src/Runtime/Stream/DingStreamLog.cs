using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// Source-generated log messages of the Stream channel (category <c>DingGen.Stream</c>). They carry app names, connection
/// ids, message and event ids, event types, reasons and delays; never the client secret, a ticket or a payload.
/// </summary>
internal static partial class DingStreamLog
{
    public const string Category = "DingGen.Stream";

    [LoggerMessage(EventId = 101, EventName = "StreamStarting", Level = LogLevel.Information,
        Message = "DingTalk Stream mode for {App}: tick these events in the DingTalk console (event subscription, Stream mode): {EventTypes}.")]
    public static partial void StreamStarting(ILogger logger, string app, string eventTypes);

    [LoggerMessage(EventId = 102, EventName = "StreamNoHandlers", Level = LogLevel.Warning,
        Message = "DingTalk Stream mode for {App} starts with no event handler registered: every event will be acknowledged and dropped. Call services.AddDingEventHandlers().")]
    public static partial void StreamNoHandlers(ILogger logger, string app);

    [LoggerMessage(EventId = 103, EventName = "StreamConnected", Level = LogLevel.Information,
        Message = "DingTalk Stream connection {ConnectionId} for {App} is open ({Endpoint}).")]
    public static partial void Connected(ILogger logger, string app, int connectionId, string endpoint);

    [LoggerMessage(EventId = 104, EventName = "StreamCredentialsRejected", Level = LogLevel.Error,
        Message = "DingTalk refused the Stream connection ticket for {App} (HTTP {StatusCode}, code {Code}). Check {Prefix}AppKey and {Prefix}AppSecret: they must be the ClientID and ClientSecret of the same DingTalk app, and the app's event subscription must use Stream mode. Retrying in {DelayMs} ms.")]
    public static partial void CredentialsRejected(ILogger logger, string app, int statusCode, string code, string prefix, long delayMs);

    [LoggerMessage(EventId = 105, EventName = "StreamTicketFailed", Level = LogLevel.Warning,
        Message = "Opening a DingTalk Stream connection ticket for {App} at {Gateway} failed: {Reason}. Retrying in {DelayMs} ms.")]
    public static partial void TicketFailed(ILogger logger, string app, string gateway, string reason, long delayMs);

    [LoggerMessage(EventId = 106, EventName = "StreamConnectFailed", Level = LogLevel.Warning,
        Message = "Connecting the DingTalk Stream WebSocket for {App} failed: {Reason}. Retrying with a fresh ticket in {DelayMs} ms.")]
    public static partial void ConnectFailed(ILogger logger, string app, string reason, long delayMs);

    [LoggerMessage(EventId = 107, EventName = "StreamConnectionLost", Level = LogLevel.Warning,
        Message = "DingTalk Stream connection {ConnectionId} for {App} ended: {Reason}. Reconnecting with a fresh ticket in {DelayMs} ms.")]
    public static partial void ConnectionLost(ILogger logger, string app, int connectionId, string reason, long delayMs);

    [LoggerMessage(EventId = 108, EventName = "StreamConnectionSilent", Level = LogLevel.Warning,
        Message = "DingTalk Stream connection {ConnectionId} for {App} received nothing (no frame, no pong) for {SilenceSeconds} s: aborting this zombie connection.")]
    public static partial void ConnectionSilent(ILogger logger, string app, int connectionId, double silenceSeconds);

    [LoggerMessage(EventId = 109, EventName = "StreamDisconnectRequested", Level = LogLevel.Information,
        Message = "DingTalk asked Stream connection {ConnectionId} for {App} to disconnect ({Reason}); opening a new connection before closing it.")]
    public static partial void DisconnectRequested(ILogger logger, string app, int connectionId, string reason);

    [LoggerMessage(EventId = 110, EventName = "StreamMalformedFrame", Level = LogLevel.Warning,
        Message = "Malformed DingTalk Stream frame on connection {ConnectionId} for {App}: {Reason}. Ignored; the connection stays open.")]
    public static partial void MalformedFrame(ILogger logger, string app, int connectionId, string reason);

    [LoggerMessage(EventId = 115, EventName = "StreamAckFailed", Level = LogLevel.Warning,
        Message = "Could not send the acknowledgement of Stream message {MessageId} for {App} on connection {ConnectionId} ({Reason}); DingTalk will redeliver it.")]
    public static partial void AckFailed(ILogger logger, string messageId, string app, int connectionId, string reason);

    [LoggerMessage(EventId = 116, EventName = "StreamDraining", Level = LogLevel.Information,
        Message = "DingTalk Stream connection {ConnectionId} for {App} stops reading: finishing {InFlight} in-flight event(s), then closing.")]
    public static partial void Draining(ILogger logger, string app, int connectionId, int inFlight);

    [LoggerMessage(EventId = 117, EventName = "StreamDrainTimedOut", Level = LogLevel.Warning,
        Message = "DingTalk Stream connection {ConnectionId} for {App} closed with {InFlight} event(s) still running (shutdown timeout); DingTalk redelivers what was not acknowledged.")]
    public static partial void DrainTimedOut(ILogger logger, string app, int connectionId, int inFlight);

    [LoggerMessage(EventId = 118, EventName = "StreamCallbackFrame", Level = LogLevel.Debug,
        Message = "DingTalk Stream CALLBACK frame (topic {Topic}) for {App}: no handler needs this topic; acknowledged with a null response.")]
    public static partial void CallbackFrame(ILogger logger, string topic, string app);

    [LoggerMessage(EventId = 119, EventName = "StreamStopped", Level = LogLevel.Information,
        Message = "DingTalk Stream mode for {App} stopped.")]
    public static partial void Stopped(ILogger logger, string app);

    [LoggerMessage(EventId = 120, EventName = "StreamSystemFrame", Level = LogLevel.Debug,
        Message = "DingTalk Stream SYSTEM frame {Topic} on connection {ConnectionId} for {App}.")]
    public static partial void SystemFrame(ILogger logger, string topic, int connectionId, string app);

    [LoggerMessage(EventId = 121, EventName = "StreamEventStored", Level = LogLevel.Debug,
        Message = "DingTalk Stream event {EventType} ({EventId}) for {App} {Outcome} the durable inbox; acknowledged SUCCESS, the inbox worker runs the handlers.")]
    public static partial void EventStored(ILogger logger, string eventType, string eventId, string app, string outcome);

    [LoggerMessage(EventId = 122, EventName = "StreamInboxWriteFailed", Level = LogLevel.Error,
        Message = "DingTalk Stream event {EventType} ({EventId}) for {App} could not be stored in the durable inbox; acknowledged LATER so DingTalk redelivers it. Check the inbox database (disk space, permissions, path) and that the app has Token and AesKey (the inbox seals stream events with them).")]
    public static partial void InboxWriteFailed(ILogger logger, Exception exception, string eventType, string eventId, string app);

    [LoggerMessage(EventId = 123, EventName = "StreamEventFailed", Level = LogLevel.Error,
        Message = "Stream event {EventType} ({EventId}) for {App} could not be delivered; acknowledged LATER so DingTalk redelivers.")]
    public static partial void EventFailed(ILogger logger, Exception exception, string eventType, string eventId, string app);

    [LoggerMessage(EventId = 124, EventName = "StreamCallbackDuplicate", Level = LogLevel.Information,
        Message = "DingTalk Stream robot message {MsgId} for {App} arrived again (frame {MessageId}) after it was delivered; acknowledged without running the handlers again.")]
    public static partial void CallbackDuplicate(ILogger logger, string msgId, string messageId, string app);

    [LoggerMessage(EventId = 125, EventName = "StreamCallbackTopics", Level = LogLevel.Information,
        Message = "DingTalk Stream mode for {App} subscribes to the CALLBACK topics its handlers need: {Topics}.")]
    public static partial void CallbackTopics(ILogger logger, string app, string topics);

    [LoggerMessage(EventId = 126, EventName = "StreamCallbackFailed", Level = LogLevel.Error,
        Message = "DingTalk Stream CALLBACK frame {MessageId} (topic {Topic}) for {App} could not be delivered; acknowledged with code 500.")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string messageId, string topic, string app);

    [LoggerMessage(EventId = 127, EventName = "StreamCallbackDropped", Level = LogLevel.Warning,
        Message = "DingTalk Stream CALLBACK frame {MessageId} (topic {Topic}) for {App} arrived on connection {ConnectionId} while it was closing and every worker was busy; it was not delivered (DingTalk does not redeliver robot messages). Raise Stream:MaxConcurrentEvents if this repeats.")]
    public static partial void CallbackDropped(ILogger logger, string messageId, string topic, string app, int connectionId);
}
