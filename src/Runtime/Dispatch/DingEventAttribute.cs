namespace DingGen;

/// <summary>
/// Marks a method as a handler of a DingTalk event. The DingGen source generator turns every marked method
/// into a case of a compile-time dispatcher, adds its tag to <c>DingEventTags.All</c> and registers its class.
/// </summary>
/// <remarks>
/// <para>Handlers may be instance methods (the class is resolved from DI in a scope per event) or static; they
/// return <see langword="void"/>, <see cref="Task"/> or <see cref="ValueTask"/>; parameters come in any order:
/// the payload (a <c>DingGen.Events</c> record, <c>JsonElement</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, a type registered
/// with <see cref="DingCustomEventAttribute"/>, or a parameter marked <see cref="DingPayloadAttribute"/>),
/// <see cref="DingEventContext"/>, <see cref="CancellationToken"/>, and any DI service.</para>
/// <para>Use the constants of <see cref="DingEventTypes"/> rather than string literals. A method may carry several
/// attributes to handle several events; several methods may handle one event and all of them run.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DingEventAttribute : Attribute
{
    /// <summary>Marks the method as the handler of <paramref name="eventType"/>, e.g. <c>bpms_instance_change</c>.</summary>
    public DingEventAttribute(string eventType)
    {
        EventType = eventType;
    }

    /// <summary>The DingTalk event tag (<c>EventType</c>) this handler receives.</summary>
    public string EventType { get; }
}

/// <summary>
/// Marks the handler parameter that receives the event payload when its type is not a <c>DingGen.Events</c> record,
/// <c>JsonElement</c>, <c>ReadOnlyMemory&lt;byte&gt;</c> or a <see cref="DingCustomEventAttribute"/> type.
/// The type must be known to a <c>JsonSerializerContext</c> registered with <c>AddJsonContext</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class DingPayloadAttribute : Attribute
{
}

/// <summary>
/// Declares an event type that is not in DingGen's catalogue (for example one DingTalk added later, or one of a
/// wildcard family such as <c>servicegroup_*</c>) together with its payload type, so the analyzers accept it.
/// </summary>
/// <example><code>[assembly: DingCustomEvent("new_event", typeof(MyPayload))]</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DingCustomEventAttribute : Attribute
{
    /// <summary>Declares <paramref name="eventType"/> with payload <paramref name="payloadType"/>.</summary>
    public DingCustomEventAttribute(string eventType, Type payloadType)
    {
        EventType = eventType;
        PayloadType = payloadType;
    }

    /// <summary>The DingTalk event tag.</summary>
    public string EventType { get; }

    /// <summary>The payload type handlers of this event receive.</summary>
    public Type PayloadType { get; }
}
