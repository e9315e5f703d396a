namespace DingGen;

/// <summary>
/// Ties a <c>DingEventTypes</c> constant to the payload type its events are decoded into. Read by the DingGen
/// analyzers from metadata (by the names <c>DingGen.DingEventTypes</c> and <c>DingGen.DingEventPayloadAttribute</c>)
/// to check that a handler's payload parameter fits the event it handles.
/// </summary>
/// <param name="payloadType">The payload record, a <c>DingGen.Events</c> type known to <c>DingEventsJsonContext</c>.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class DingEventPayloadAttribute(Type payloadType) : Attribute
{
    /// <summary>The payload type of the event the constant names.</summary>
    public Type PayloadType { get; } = payloadType;

    /// <summary>
    /// <see langword="true"/> for a handshake (URL validation) event: the runtime answers it itself with the encrypted
    /// <c>success</c>, it never reaches a handler, it is never registered with DingTalk, and the analyzers reject a
    /// <c>[DingEvent]</c> on it (DING008). This mark is the one definition of "handshake" that the runtime, the generator,
    /// the analyzers and the OpenAPI client all read.
    /// </summary>
    public bool Handshake { get; init; }
}
