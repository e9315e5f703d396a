using System.Buffers;
using System.Text.Json;

namespace DingGen.Testing;

/// <summary>
/// Builds the entry DingTalk's failed-delivery list (<c>call_back/get_call_back_failed_result</c>, spec 3.6) shows for a push
/// payload that could not be delivered: the inverse of <see cref="DingFailedEventAdapter"/>, so a test can put a failed delivery
/// of <see cref="DingTalkSimulator.DeliverAsync"/> on a fake server's failed list and recovery it.
/// </summary>
/// <remarks>
/// The data member named after the tag holds <c>corpid</c> plus: <c>userid</c> / <c>deptid</c> arrays for contact events
/// (<c>user_*</c>, <c>org_admin_*</c>, <c>org_dept_*</c>), <c>bpmsCallBackData</c> (the payload without <c>EventType</c>) for
/// <c>bpms_*</c>, <c>roleLabelChange</c> for <c>label_*</c>, and <c>callbackData</c> (the payload without the envelope) for the rest.
/// </remarks>
public static class DingTalkFailedListEntry
{
    /// <summary>The failed-list entry JSON for <paramref name="payloadJson"/>.</summary>
    /// <param name="eventType">The tag (<c>call_back_tag</c>).</param>
    /// <param name="payloadJson">The push payload (a JSON object).</param>
    /// <param name="eventTime">The entry's <c>event_time</c>.</param>
    /// <param name="corpId">The <c>corpid</c>; read from the payload's <c>CorpId</c>/<c>corpId</c> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="payloadJson"/> is not a JSON object.</exception>
    public static string Create(string eventType, string payloadJson, DateTimeOffset eventTime, string? corpId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(payloadJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The payload is not JSON.", nameof(payloadJson), ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The payload is not a JSON object.", nameof(payloadJson));
            }

            corpId ??= Find(root, "CorpId") is { ValueKind: JsonValueKind.String } corp ? corp.GetString() : null;
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("call_back_tag"u8, eventType);
                writer.WriteNumber("event_time"u8, eventTime.ToUnixTimeMilliseconds());
                writer.WriteStartObject(eventType);
                if (corpId is not null)
                {
                    writer.WriteString("corpid"u8, corpId);
                }

                if (IsContact(eventType))
                {
                    foreach (var (source, target) in new[] { ("UserId", "userid"), ("DeptId", "deptid") })
                    {
                        if (Find(root, source) is { ValueKind: JsonValueKind.Array } ids)
                        {
                            writer.WritePropertyName(target);
                            ids.WriteTo(writer);
                        }
                    }
                }
                else
                {
                    var container = eventType.StartsWith("bpms_", StringComparison.Ordinal) ? "bpmsCallBackData"
                        : eventType.StartsWith("label_", StringComparison.Ordinal) ? "roleLabelChange"
                        : "callbackData";
                    var keepCorpId = container == "bpmsCallBackData";
                    writer.WriteStartObject(container);
                    foreach (var member in root.EnumerateObject())
                    {
                        if (member.Name.Equals("EventType", StringComparison.OrdinalIgnoreCase)
                            || (!keepCorpId && member.Name.Equals("CorpId", StringComparison.OrdinalIgnoreCase)))
                        {
                            continue;
                        }

                        member.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    private static bool IsContact(string tag) =>
        tag.StartsWith("user_", StringComparison.Ordinal)
        || tag.StartsWith("org_admin_", StringComparison.Ordinal)
        || tag.StartsWith("org_dept_", StringComparison.Ordinal);

    private static JsonElement? Find(JsonElement root, string name)
    {
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return member.Value;
            }
        }

        return null;
    }
}
