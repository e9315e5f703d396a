using DingGen.Common;

namespace DingGen.Generator.Model;

/// <summary>
/// A payload an event decodes once for all its handlers: how it is produced (<see cref="PayloadKind"/>) and its fully
/// qualified <c>global::</c> type. <see cref="PayloadKind.JsonElement"/> and <see cref="PayloadKind.Utf8Memory"/> need no
/// decoding metadata; <see cref="PayloadKind.Typed"/> payloads are decoded through a <c>JsonTypeInfo</c> field.
/// </summary>
internal sealed record PayloadModel(PayloadKind Kind, string TypeFqn)
{
    public const string JsonElementFqn = "global::System.Text.Json.JsonElement";
    public const string Utf8MemoryFqn = "global::System.ReadOnlyMemory<byte>";

    /// <summary>The payload a payload parameter reads.</summary>
    public static PayloadModel Of(ParameterModel parameter) => parameter.PayloadKind switch
    {
        PayloadKind.JsonElement => new PayloadModel(PayloadKind.JsonElement, JsonElementFqn),
        PayloadKind.Utf8Memory => new PayloadModel(PayloadKind.Utf8Memory, Utf8MemoryFqn),
        _ => new PayloadModel(PayloadKind.Typed, parameter.TypeFqn),
    };

    /// <summary>Orders payloads by kind, then by type (ordinal).</summary>
    public static int Compare(PayloadModel a, PayloadModel b)
    {
        var byKind = a.Kind.CompareTo(b.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(a.TypeFqn, b.TypeFqn);
    }
}

/// <summary>A typed payload of the dispatcher: its <c>global::</c> type and the <c>JsonTypeInfo</c> field that decodes it.</summary>
internal sealed record TypedPayloadModel(string TypeFqn, string FieldName);

/// <summary>A payload of one event and the local it is decoded into (none for <see cref="PayloadKind.Utf8Memory"/>).</summary>
internal sealed record EventPayloadModel(PayloadModel Payload, string LocalName);
