using System.Text;
using System.Text.Json;

namespace DingGen;

/// <summary>
/// The top-level envelope members of a decrypted DingTalk event, read in one pass with <see cref="Utf8JsonReader"/>:
/// <c>EventType</c>, <c>eventId</c>, <c>BizId</c> and <c>CorpId</c> (member names matched case-insensitively,
/// as DingTalk's dialects vary). Nested members are skipped.
/// </summary>
public readonly ref struct DingEnvelope
{
    private DingEnvelope(ReadOnlySpan<byte> eventTypeUtf8, string? eventId, string? bizId, string? corpId)
    {
        EventTypeUtf8 = eventTypeUtf8;
        EventId = eventId;
        BizId = bizId;
        CorpId = corpId;
    }

    /// <summary>The <c>EventType</c> value as UTF-8 (unescaped); empty when absent.</summary>
    public ReadOnlySpan<byte> EventTypeUtf8 { get; }

    /// <summary>The payload's <c>eventId</c>, when present.</summary>
    public string? EventId { get; }

    /// <summary>The payload's <c>BizId</c> (idempotency id of console subscriptions), when present.</summary>
    public string? BizId { get; }

    /// <summary>The payload's <c>CorpId</c>, when present.</summary>
    public string? CorpId { get; }

    /// <summary>The id to deduplicate on: <see cref="EventId"/>, else <see cref="BizId"/>, else <see langword="null"/>.</summary>
    public string? StableId => EventId ?? BizId;

    /// <summary>
    /// Reads the envelope of <paramref name="json"/>. Returns <see langword="false"/> with a reason safe to log
    /// (it never quotes the payload) when the text is not a JSON object or is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out DingEnvelope envelope, out string? error)
    {
        envelope = default;
        error = null;
        ReadOnlySpan<byte> eventType = default;
        string? eventId = null, bizId = null, corpId = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the decrypted payload is not a JSON object";
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var member = Classify(ref reader);
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                switch (member)
                {
                    case Member.EventType when reader.TokenType == JsonTokenType.String:
                        eventType = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        break;
                    case Member.EventId:
                        eventId = ScalarText(ref reader);
                        break;
                    case Member.BizId:
                        bizId = ScalarText(ref reader);
                        break;
                    case Member.CorpId:
                        corpId = ScalarText(ref reader);
                        break;
                }
            }

            // Read to the end so trailing garbage is rejected.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            error = "the decrypted payload is not valid JSON";
            return false;
        }

        envelope = new DingEnvelope(eventType, eventId, bizId, corpId);
        return true;
    }

    private static string? ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static Member Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            var name = reader.GetString()!;
            return Classify(Encoding.UTF8.GetBytes(name));
        }

        return Classify(reader.ValueSpan);
    }

    private static Member Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        9 when Ascii.EqualsIgnoreCase(name, "EventType"u8) => Member.EventType,
        7 when Ascii.EqualsIgnoreCase(name, "eventId"u8) => Member.EventId,
        5 when Ascii.EqualsIgnoreCase(name, "BizId"u8) => Member.BizId,
        6 when Ascii.EqualsIgnoreCase(name, "CorpId"u8) => Member.CorpId,
        _ => Member.Other,
    };

    private enum Member
    {
        Other,
        EventType,
        EventId,
        BizId,
        CorpId,
    }
}
