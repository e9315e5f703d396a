using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// Reads a string that DingTalk sends either as a JSON string or as a JSON number (ids, time stamps), keeping the
/// exact characters: <c>"0214382847291053"</c> stays as is, <c>71234567890</c> becomes <c>"71234567890"</c> (never
/// reformatted through a floating-point value). <see langword="true"/>/<see langword="false"/> become
/// <c>"true"</c>/<c>"false"</c>. Writes a JSON string. AOT-safe; attach it with <see cref="JsonConverterAttribute"/>.
/// </summary>
public sealed class DingLenientStringConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DingJsonText.ReadScalar(ref reader) ?? throw new JsonException($"Expected a string or a number, found {reader.TokenType}.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>Shared reading helpers of the lenient converters.</summary>
internal static class DingJsonText
{
    /// <summary>The text of a string, number or boolean token; <see langword="null"/> for any other token.</summary>
    public static string? ReadScalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => RawText(ref reader),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    };

    /// <summary>The raw UTF-8 of the current token as text (numbers are never escaped).</summary>
    public static string RawText(ref Utf8JsonReader reader) => reader.HasValueSequence
        ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray())
        : Encoding.UTF8.GetString(reader.ValueSpan);

    /// <summary>An int64 from a number token or a string token holding an integer.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                return number;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException("Expected an integer id, found a string that is not one.");
            default:
                throw new JsonException($"Expected an integer id (number or string), found {reader.TokenType}.");
        }
    }
}

/// <summary>
/// Reads a member that DingTalk documents as a JSON document sent as a string (<c>feature</c>, <c>extFields</c>):
/// a string is kept as sent; any other value (an object, an array, a number) is kept as its raw JSON text, so the
/// member reads the same whether DingTalk quotes the JSON or nests it. Writes a JSON string. AOT-safe.
/// </summary>
public sealed class DingJsonTextConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
