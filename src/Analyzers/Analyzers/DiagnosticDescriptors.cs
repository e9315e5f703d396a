using Microsoft.CodeAnalysis;

namespace DingGen.Analyzers;

/// <summary>
/// Every diagnostic DingGen reports. IDs are fixed and never reused: <c>DING001</c>–<c>DING049</c> handler usage,
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

    /// <summary>DING050: the metadata name of the payload type.</summary>
    public const string PayloadType = "PayloadType";
}
