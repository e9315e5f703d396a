using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// A user's action on an interactive card the app sent (stream topic <c>/v1.0/card/instances/callback</c>, or an HTTP card
/// callback). <see cref="Content"/> and <see cref="Extension"/> are JSON documents DingTalk sends as strings; the action's ids and
/// parameters are read from <c>content</c>'s <c>cardPrivateData</c>.
/// </summary>
public sealed class DingCardCallback
{
    /// <summary>The card instance the action was taken on (<c>outTrackId</c>: the id the app gave the card when it sent it).</summary>
    public string OutTrackId { get => _outTrackId ?? string.Empty; init => _outTrackId = value; }

    // System.Text.Json's source generator passes init-only properties to the object initializer, null when absent.
    private readonly string? _outTrackId;

    /// <summary>The callback type (<c>type</c>), <c>actionCallback</c> for a button or form.</summary>
    public string? Type { get; init; }

    /// <summary>The organisation of the user (<c>corpId</c>).</summary>
    public string? CorpId { get; init; }

    /// <summary>The user who acted (<c>userId</c>).</summary>
    public string? UserId { get; init; }

    /// <summary>The action's data as DingTalk sent it (<c>content</c>, a JSON document in a string).</summary>
    public string? Content { get; init; }

    /// <summary>The card's extension data as DingTalk sent it (<c>extension</c>, a JSON document in a string).</summary>
    public string? Extension { get; init; }

    /// <summary>The ids of the actions taken (<c>content.cardPrivateData.actionIds</c>); empty when absent.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ActionIds => Parsed.ActionIds;

    /// <summary>
    /// The action's parameters (<c>content.cardPrivateData.params</c>): each value as text (a string as is, anything else as its
    /// JSON); empty when absent.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> Params => Parsed.Params;

    /// <summary>Fields of the callback DingGen does not model, as sent (settable: System.Text.Json cannot fill init-only extension data).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    private ParsedContent? _parsed;

    private ParsedContent Parsed => _parsed ??= ParsedContent.Read(Content);

    private sealed class ParsedContent
    {
        private static readonly ParsedContent Empty = new([], new Dictionary<string, string>(0));

        private ParsedContent(IReadOnlyList<string> actionIds, IReadOnlyDictionary<string, string> parameters)
        {
            ActionIds = actionIds;
            Params = parameters;
        }

        public IReadOnlyList<string> ActionIds { get; }

        public IReadOnlyDictionary<string, string> Params { get; }

        public static ParsedContent Read(string? content)
        {
            if (string.IsNullOrWhiteSpace(content))
            {
                return Empty;
            }

            try
            {
                using var document = JsonDocument.Parse(content);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("cardPrivateData", out var data)
                    || data.ValueKind != JsonValueKind.Object)
                {
                    return Empty;
                }

                var actionIds = new List<string>();
                if (data.TryGetProperty("actionIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in ids.EnumerateArray())
                    {
                        if (id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text)
                        {
                            actionIds.Add(text);
                        }
                    }
                }

                var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                if (data.TryGetProperty("params", out var values) && values.ValueKind == JsonValueKind.Object)
                {
                    foreach (var value in values.EnumerateObject())
                    {
                        parameters[value.Name] = value.Value.ValueKind == JsonValueKind.String
                            ? value.Value.GetString() ?? string.Empty
                            : value.Value.GetRawText();
                    }
                }

                return new ParsedContent(actionIds, parameters);
            }
            catch (JsonException)
            {
                return Empty;
            }
        }
    }
}
