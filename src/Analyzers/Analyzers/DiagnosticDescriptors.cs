using Microsoft.CodeAnalysis;

namespace DingGen.Analyzers;

/// <summary>
/// Every diagnostic DingGen reports. IDs are fixed and never reused: <c>DING001</c>–<c>DING049</c> handler usage (events,
/// robot messages, card callbacks),
/// <c>DING050</c>–<c>DING099</c> JSON/DI integration. Each has a row in <c>AnalyzerReleases.*.md</c> and a page in
/// <c>docs/diagnostics/</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string UnknownEventTypeId = "DING001";
    public const string PayloadMismatchId = "DING002";
    public const string HandlerNotCallableId = "DING003";
    public const string HandlerNotReachableId = "DING004";
    public const string AsyncVoidHandlerId = "DING005";
    public const string InvalidEventTypeId = "DING006";
    public const string DuplicateEventTypeId = "DING007";
    public const string HandshakeEventHandlerId = "DING008";
    public const string InteractionParameterMismatchId = "DING009";
    public const string InteractionReturnTypeId = "DING010";
    public const string MixedHandlerKindsId = "DING011";
    public const string UnknownRobotMessageTypeId = "DING012";
    public const string PayloadNotInJsonContextId = "DING050";

    /// <summary>DING001: the event type is neither in the catalogue nor declared with <c>DingCustomEvent</c>.</summary>
    public static readonly DiagnosticDescriptor UnknownEventType = Create(
        UnknownEventTypeId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Unknown event type",
        "'{0}' is not a known DingTalk event type{1}",
        "DingTalk never sends an event type that is not in DingGen's catalogue, so a handler of it never runs. A typo is the usual cause; an event DingTalk added later can be declared with [assembly: DingCustomEvent(tag, typeof(Payload))].");

    /// <summary>DING002: the payload parameter's type cannot hold the payload of every event the method handles.</summary>
    public static readonly DiagnosticDescriptor PayloadMismatch = Create(
        PayloadMismatchId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Payload type does not fit the event",
        "Payload type '{0}' does not fit {1}",
        "A typed payload parameter must be the event's payload record or a base record of it (DingGenericEvent fits every event), so that every event the method handles can be decoded into it.");

    /// <summary>DING003: <see cref="Common.HandlerShapeRules"/> found a problem of kind <c>CannotCall</c>.</summary>
    public static readonly DiagnosticDescriptor HandlerNotCallable = Create(
        HandlerNotCallableId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Handler cannot be called",
        "The generated dispatcher cannot call handler '{0}': {1}",
        "The generator skips a handler it cannot call (generic method, by-reference or pointer parameter, unsupported return type, two payloads), so the handler would never run.");

    /// <summary>DING004: <see cref="Common.HandlerShapeRules"/> found a problem of kind <c>NotReachable</c>.</summary>
    public static readonly DiagnosticDescriptor HandlerNotReachable = Create(
        HandlerNotReachableId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Handler is not reachable",
        "Handler '{0}' is not reachable from the generated dispatcher: {1}",
        "The generated dispatcher lives in the same assembly as the handler: it can call public and internal methods of non-private, non-file-local types, and it must be able to create the class of an instance handler.");

    /// <summary>DING005: an <c>async void</c> handler.</summary>
    public static readonly DiagnosticDescriptor AsyncVoidHandler = Create(
        AsyncVoidHandlerId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        "Async void handler",
        "Handler '{0}' is async void: the dispatcher cannot await it or see its failures",
        "The dispatcher awaits Task and ValueTask handlers and reports their failures to DingTalk so the event is retried; an async void handler returns at its first await and its exceptions escape to the thread pool.");

    /// <summary>DING006: the event type is empty, whitespace, null or not a compile-time constant string.</summary>
    public static readonly DiagnosticDescriptor InvalidEventType = Create(
        InvalidEventTypeId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Invalid event type",
        "The event type '{0}' is empty, whitespace or not a compile-time constant string",
        "The generator routes events by their constant tag; a handler without one is skipped and never runs.");

    /// <summary>DING007: one method names the same event type twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateEventType = Create(
        DuplicateEventTypeId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        "Duplicate event type",
        "Handler '{0}' lists event type '{1}' more than once",
        "A handler runs once per event however often it names the event type, so the repeated attribute has no effect.");

    /// <summary>DING008: a handler on one of the handshake events.</summary>
    public static readonly DiagnosticDescriptor HandshakeEventHandler = Create(
        HandshakeEventHandlerId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Handler on a handshake event",
        "'{0}' is a handshake event the endpoint answers itself, so its handlers never run",
        "check_url, check_create_suite_url and check_update_suite_url are answered by the callback endpoint before dispatch and are never registered with DingTalk.");

    /// <summary>DING009: a robot or card handler parameter that takes what another kind of handler receives.</summary>
    public static readonly DiagnosticDescriptor InteractionParameterMismatch = Create(
        InteractionParameterMismatchId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Parameter does not fit the robot or card handler",
        "Handler '{0}': {1}",
        "A [DingRobotMessage] handler receives a DingRobotMessage and a DingRobotMessageContext; a [DingCardCallback] handler a DingCardCallback and a DingCardCallbackContext. An event payload, an event context or the other kind's message is never passed to it, so the generator skips the handler.");

    /// <summary>DING010: a robot or card handler whose return type is neither nothing nor its kind's response.</summary>
    public static readonly DiagnosticDescriptor InteractionReturnType = Create(
        InteractionReturnTypeId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Return type does not fit the robot or card handler",
        "Handler '{0}' cannot return '{1}': a {2} returns void, Task, ValueTask or a {3} (directly, or in a Task or ValueTask)",
        "The dispatcher collects the reply of a robot handler (DingRobotReply) and the card update of a card handler (DingCardUpdate); it cannot use any other result, so the generator skips the handler.");

    /// <summary>DING011: a method with more than one kind of handler attribute.</summary>
    public static readonly DiagnosticDescriptor MixedHandlerKinds = Create(
        MixedHandlerKindsId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Error,
        "Method is more than one kind of handler",
        "'{0}' is marked {1}: a method handles events, robot messages or card callbacks, not several",
        "Events, robot messages and card callbacks carry different data and expect different answers, so one method cannot take more than one of them; the generator skips it for all.");

    /// <summary>DING012: a <c>MsgType</c> filter that is not a known robot message type.</summary>
    public static readonly DiagnosticDescriptor UnknownRobotMessageType = Create(
        UnknownRobotMessageTypeId,
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        "Unknown robot message type",
        "'{0}' is not a known robot message type{1}",
        "DingTalk sends robot messages of the types in DingRobotMessageTypes (text, richText, picture, file, audio, video); a filter on another type matches only if DingTalk adds it, so a typo means the handler never runs. Types are compared exactly (ordinal).");

    /// <summary>DING050: a user payload type that no <c>JsonSerializerContext</c> knows.</summary>
    public static readonly DiagnosticDescriptor PayloadNotInJsonContext = Create(
        PayloadNotInJsonContextId,
        DiagnosticCategories.Design,
        DiagnosticSeverity.Warning,
        "Payload type is in no JsonSerializerContext",
        "Payload type '{0}' is in no JsonSerializerContext of this project or its references",
        "DingGen decodes payloads only through source-generated JSON metadata (no reflection, AOT-safe). A payload type that no [JsonSerializable] lists makes the dispatcher fail at start-up.");

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinks.For(id));
}

/// <summary>Keys of <see cref="Diagnostic.Properties"/> that the analyzers pass to the code fixes.</summary>
internal static class DiagnosticProperties
{
    /// <summary>DING001: the suggested tag.</summary>
    public const string SuggestedTag = "SuggestedTag";

    /// <summary>DING001: the <c>DingEventTypes</c> constant of the suggested tag, absent for custom events.</summary>
    public const string SuggestedConstant = "SuggestedConstant";

    /// <summary>DING002: the metadata name of the type that fits every event of the method.</summary>
    public const string FittingType = "FittingType";

    /// <summary>DING003: present when the only problems are the return type, which the fix changes to <c>ValueTask</c>.</summary>
    public const string ReturnTypeFixable = "ReturnTypeFixable";

    /// <summary>DING004: present when making the method and its types <c>internal</c> makes the handler reachable.</summary>
    public const string MakeInternalFixable = "MakeInternalFixable";

    /// <summary>DING009: the metadata name of the type the parameter should have.</summary>
    public const string ExpectedType = "ExpectedType";

    /// <summary>DING010: the metadata name of the handler kind's response type (<c>DingRobotReply</c>, <c>DingCardUpdate</c>).</summary>
    public const string ResponseType = "ResponseType";

    /// <summary>DING012: the suggested message type's <c>DingRobotMessageTypes</c> constant.</summary>
    public const string SuggestedMsgTypeConstant = "SuggestedMsgTypeConstant";

    /// <summary>DING050: the metadata name of the payload type.</summary>
    public const string PayloadType = "PayloadType";
}
