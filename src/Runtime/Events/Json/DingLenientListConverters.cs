using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// Reads a list of strings whose elements DingTalk sends as strings or numbers (user ids such as
/// <c>["0214382847291053", 202844352662984130]</c>), keeping each element's exact characters. A single scalar instead of
/// an array is read as a one-element list. Writes an array of strings. AOT-safe.
/// </summary>
public sealed class DingLenientStringListConverter : JsonConverter<IReadOnlyList<string>?>
{
    /// <inheritdoc />
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return [Element(ref reader)];
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(Element(ref reader));
        }

        return list;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    private static string Element(ref Utf8JsonReader reader) =>
        DingJsonText.ReadScalar(ref reader) ?? throw new JsonException($"Expected a string or a number in the id list, found {reader.TokenType}.");
}

/// <summary>
/// Reads a list of int64 ids whose elements DingTalk sends as numbers or as strings of digits (department and label
/// ids: <c>[612345678]</c> and <c>["432825033"]</c> both read as 612345678 / 432825033). A single scalar instead of an
/// array is read as a one-element list. Writes an array of numbers. AOT-safe.
/// </summary>
public sealed class DingLenientInt64ListConverter : JsonConverter<IReadOnlyList<long>?>
{
    /// <inheritdoc />
    public override IReadOnlyList<long>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return [DingJsonText.ReadInt64(ref reader)];
        }

        var list = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(DingJsonText.ReadInt64(ref reader));
        }

        return list;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<long>? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteNumberValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// Reads a list whose elements are JSON documents sent as strings (<c>preLabelList</c>/<c>postLabelList</c>: each
/// element is a JSON string describing a label). String elements are kept as sent; any other element (an object, a
/// number) is kept as its raw JSON text, so the list reads the same whether DingTalk nests the JSON or quotes it.
/// Writes an array of strings. AOT-safe.
/// </summary>
public sealed class DingJsonTextListConverter : JsonConverter<IReadOnlyList<string>?>
{
    /// <inheritdoc />
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array, found {reader.TokenType}.");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(reader.GetString()!);
                continue;
            }

            using var element = JsonDocument.ParseValue(ref reader);
            list.Add(element.RootElement.GetRawText());
        }

        return list;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
