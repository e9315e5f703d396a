using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The source-generated JSON metadata of the event catalogue, with DingTalk's parsing rules:
/// case-insensitive member names and numbers accepted from strings.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class DingEventsJsonContext : JsonSerializerContext
{
}
