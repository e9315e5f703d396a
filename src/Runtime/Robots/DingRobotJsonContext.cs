using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The source-generated JSON metadata of robot messages and card callbacks, with DingTalk's parsing rules (case-insensitive
/// names, numbers accepted from strings).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(DingRobotMessage))]
[JsonSerializable(typeof(DingRobotPicture))]
[JsonSerializable(typeof(DingRobotRichText))]
[JsonSerializable(typeof(DingRobotFile))]
[JsonSerializable(typeof(DingRobotAudio))]
[JsonSerializable(typeof(DingCardCallback))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DingRobotJsonContext : JsonSerializerContext;
