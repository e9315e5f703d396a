using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The envelope members every DingTalk event payload may carry, whatever its dialect: legacy HTTP callbacks
/// (<c>EventType</c>, <c>CorpId</c>, <c>TimeStamp</c>), console HTTP push (<c>EventTime</c>, <c>BizId</c>,
/// <c>eventId</c>) and Stream <c>data</c> (camelCase, usually without <c>EventType</c>). Member names are matched
/// case-insensitively; any member may be absent, so every property is nullable.
/// </summary>
/// <remarks>
/// Some events send both <c>CorpId</c> and <c>corpId</c> (group chat events). Both match <see cref="CorpId"/> and the
/// one that comes last in the JSON wins; DingTalk sends the same value in both.
/// </remarks>
public abstract record DingEventPayload
{
    /// <summary>The event tag, e.g. <c>bpms_instance_change</c>. Absent from Stream <c>data</c> (the frame header carries it).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? EventType { get; init; }

    /// <summary>The organisation the event belongs to (<c>CorpId</c>, <c>corpId</c> or <c>corpid</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? CorpId { get; init; }

    /// <summary>When DingTalk produced the event, Unix milliseconds (console HTTP push).</summary>
    public long? EventTime { get; init; }

    /// <summary>The idempotency id of console HTTP push; the same on every redelivery.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BizId { get; init; }

    /// <summary>The event id of console HTTP push (JSON <c>eventId</c>).</summary>
    [JsonPropertyName("eventId")]
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? EventId { get; init; }

    /// <summary>
    /// The event's time stamp as the digits DingTalk sent (Unix milliseconds): a string in contact events, a number
    /// in chat, check-in and ISV events; both are accepted. See <see cref="TimeStampMilliseconds"/>.
    /// </summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? TimeStamp { get; init; }

    /// <summary><see cref="TimeStamp"/> as a number, or <see langword="null"/> when absent or not an integer.</summary>
    [JsonIgnore]
    public long? TimeStampMilliseconds =>
        long.TryParse(TimeStamp, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;
}

/// <summary>
/// The payload of an event DingTalk names without documenting its fields (and of any event a handler wants untyped):
/// the envelope members plus every other top-level member, raw, in <see cref="Extra"/>.
/// </summary>
/// <remarks>
/// <see cref="Extra"/> holds the members as sent (original spelling and order of first appearance). Use
/// <see cref="TryGetMember"/> for a case-insensitive lookup. The elements own their memory and stay valid after the handler.
/// Take a <see cref="JsonElement"/> parameter instead to get the whole payload as one element.
/// </remarks>
public sealed record DingGenericEvent : DingEventPayload
{
    /// <summary>Every top-level member that is not an envelope property, by its JSON name.</summary>
    /// <remarks>Settable rather than init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Looks a non-envelope member up by name, ordinal first, then ignoring case.</summary>
    public bool TryGetMember(string name, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        value = default;
        if (Extra is null)
        {
            return false;
        }

        if (Extra.TryGetValue(name, out value))
        {
            return true;
        }

        foreach (var pair in Extra)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = pair.Value;
                return true;
            }
        }

        return false;
    }
}
