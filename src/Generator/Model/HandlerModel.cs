using DingGen.Common;

namespace DingGen.Generator.Model;

/// <summary>
/// One parameter of a handler, as the emitter needs it. Types are fully qualified <c>global::</c> names;
/// <paramref name="Name"/> is the parameter's name as C# writes it (<c>@event</c> for a keyword), which the emitter gives
/// the local a service is resolved into.
/// </summary>
internal sealed record ParameterModel(
    HandlerParameterKind Kind,
    PayloadKind PayloadKind,
    string TypeFqn,
    string MetadataName,
    bool IsNullableService,
    string? ServiceKeyExpression,
    string Name);

/// <summary>A callable <c>[DingEvent]</c> method with its routed event tags (handshake events excluded). Holds no symbols or syntax.</summary>
internal sealed record HandlerModel(
    EquatableArray<string> EventTags,
    string ContainingTypeFqn,
    string HandlerName,
    string MethodName,
    string SortKey,
    bool IsStatic,
    HandlerReturnKind ReturnKind,
    EquatableArray<ParameterModel> Parameters);

/// <summary>An event type declared with <c>[assembly: DingCustomEvent(tag, typeof(T))]</c>.</summary>
internal sealed record CustomEventModel(string EventTag, string PayloadMetadataName);
