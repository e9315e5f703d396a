using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DingGen;

/// <summary>
/// Helpers the generated dispatchers call. Not meant for hand-written code; public only because generated code lives
/// in the user's assembly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DingDispatchHelpers
{
    /// <summary>Decodes the event payload as <typeparamref name="T"/>; a JSON <c>null</c> payload is an error.</summary>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>.</exception>
    public static T DecodePayload<T>(DingEventContext context, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(context.Payload.Span, typeInfo)
            ?? throw new JsonException($"The payload of event '{context.EventType}' is null.");
    }

    /// <summary>Parses the payload as a <see cref="JsonDocument"/> for <see cref="JsonElement"/> handlers; the caller disposes it.</summary>
    public static JsonDocument ParseDocument(DingEventContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return JsonDocument.Parse(context.Payload);
    }

    /// <summary>The result when the payload could not be decoded: failed, attributed to the payload type, no handler run.</summary>
    public static DingDispatchResult PayloadFailed(DingEventContext context, string payloadType, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = "payload " + payloadType.Replace("global::", string.Empty, StringComparison.Ordinal);
        return DingDispatchResult.Failed(new[] { new DingHandlerFailure(name, context.EventType, exception) });
    }

    /// <summary>Records a handler failure and reports it to the context's observer; returns the (possibly new) list.</summary>
    public static List<DingHandlerFailure> HandlerFailed(List<DingHandlerFailure>? failures, DingEventContext context, string handlerName, long startTimestamp, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ReportHandlerCompleted(handlerName, startTimestamp, exception);
        failures ??= new List<DingHandlerFailure>();
        failures.Add(new DingHandlerFailure(handlerName, context.EventType, exception));
        return failures;
    }
}
