using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace DingGen;

/// <summary>The shape a failed-list entry's data member had (spec 3.6), as recognised by <see cref="DingFailedEventAdapter"/>.</summary>
public enum DingFailedEventShape
{
    /// <summary>No data member, or one holding only <c>corpid</c>: the push payload is the envelope alone.</summary>
    EnvelopeOnly = 0,

    /// <summary>Contacts: <c>{"corpid","userid":[…]}</c> or <c>{"corpid","deptid":[…]}</c> → <c>UserId</c> / <c>DeptId</c>.</summary>
    Contact = 1,

    /// <summary>Approvals: <c>{"corpid","bpmsCallBackData":{…}}</c> → the members of <c>bpmsCallBackData</c>.</summary>
    Approval = 2,

    /// <summary>Roles and labels: <c>{"corpid","roleLabelChange":{…}}</c> → the members of <c>roleLabelChange</c>.</summary>
    RoleLabel = 3,

    /// <summary>Other events: <c>{"corpid","callbackData":{…}}</c> → the members of <c>callbackData</c>.</summary>
    CallbackData = 4,

    /// <summary>A Java-map string such as <c>{corpid=ding…, userid=[a, b]}</c> instead of an object.</summary>
    JavaMapString = 5,

    /// <summary>An object of none of the documented shapes: its members are copied through as they are.</summary>
    Unknown = 6,
}

/// <summary>A failed-list entry turned into the push payload handlers expect.</summary>
/// <param name="Payload">The push payload as UTF-8 JSON (an object with <c>EventType</c>).</param>
/// <param name="Shape">The shape the entry's data member had.</param>
public sealed record DingAdaptedFailedEvent(ReadOnlyMemory<byte> Payload, DingFailedEventShape Shape);

/// <summary>
/// Maps entries of DingTalk's failed-delivery list (<c>call_back/get_call_back_failed_result</c>, spec 3.6) to the push payload
/// the generated dispatchers decode, so a failed event is recovered through the same handlers as a live one.
/// </summary>
/// <remarks>
/// <para>An entry is <c>{"call_back_tag":"user_add_org","event_time":1717034512000,"user_add_org":{…}}</c>: the member named
/// after the tag holds <c>corpid</c> plus one data member. The payload built from it (see <c>docs/failed-events.md</c>):</para>
/// <list type="table">
/// <listheader><term>failed-list data member</term><description>push payload</description></listheader>
/// <item><term>every entry</term><description><c>EventType</c> = the tag; <c>CorpId</c> = <c>corpid</c> (unless the data carries its own <c>corpId</c>)</description></item>
/// <item><term><c>userid</c> / <c>deptid</c> arrays (contacts)</term><description><c>UserId</c> / <c>DeptId</c> arrays, plus <c>TimeStamp</c> = <c>event_time</c> as a string of milliseconds (the legacy contact dialect)</description></item>
/// <item><term><c>bpmsCallBackData</c> object (approvals)</term><description>its members at the top level (<c>processInstanceId</c>, <c>type</c>, <c>result</c>, …), camelCase as pushed; no <c>TimeStamp</c></description></item>
/// <item><term><c>roleLabelChange</c> / <c>callbackData</c> objects</term><description>their members at the top level, plus <c>TimeStamp</c></description></item>
/// <item><term>any other member</term><description>copied through under its own name</description></item>
/// <item><term>a Java-map string <c>{corpid=ding…, userid=[a, b]}</c></term><description>read as a flat map: <c>corpid</c>, <c>userid</c>, <c>deptid</c> as above, other keys as strings</description></item>
/// </list>
/// <para>A data member sent as a JSON string holding an object is read as that object. Members already written are not
/// written twice (names compared ignoring case). The adapter never throws on odd input: an entry it cannot read is
/// reported with a reason that never quotes the data.</para>
/// </remarks>
public static class DingFailedEventAdapter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maps <paramref name="entry"/> to its push payload.</summary>
    /// <param name="entry">A failed-list entry from <see cref="DingTalkClient.GetFailedEventsAsync"/>.</param>
    /// <param name="result">The payload and the recognised shape, when the entry could be read.</param>
    /// <param name="error">Why the entry cannot be recovered, when it could not (safe to log: it never quotes the data).</param>
    public static bool TryAdapt(DingFailedEvent entry, [NotNullWhen(true)] out DingAdaptedFailedEvent? result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entry);
        result = null;
        if (string.IsNullOrWhiteSpace(entry.Tag))
        {
            error = "the entry has no call_back_tag";
            return false;
        }

        if (DingHandshakeEvents.Contains(entry.Tag))
        {
            error = $"'{entry.Tag}' is a URL check, not an event; it is never recovered";
            return false;
        }

        var timeStamp = entry.EventTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(256);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        DingFailedEventShape shape;
        string? corpId = entry.CorpId;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("EventType", entry.Tag);
            written.Add("EventType");

            var data = entry.DataJson;
            if (string.IsNullOrWhiteSpace(data))
            {
                shape = DingFailedEventShape.EnvelopeOnly;
            }
            else if (TryParseObject(data, out var document))
            {
                using (document)
                {
                    shape = WriteObject(writer, document.RootElement, written, ref corpId);
                }
            }
            else if (JavaMap.TryParse(data, out var map))
            {
                shape = DingFailedEventShape.JavaMapString;
                WriteJavaMap(writer, map, written, ref corpId);
            }
            else
            {
                error = $"the '{entry.Tag}' member is neither a JSON object nor a Java-map string";
                return false;
            }

            if (corpId is not null && !written.Contains("CorpId"))
            {
                writer.WriteString("CorpId", corpId);
                written.Add("CorpId");
            }

            if (shape != DingFailedEventShape.Approval && !written.Contains("TimeStamp"))
            {
                writer.WriteString("TimeStamp", timeStamp);
            }

            writer.WriteEndObject();
        }

        result = new DingAdaptedFailedEvent(buffer.WrittenMemory.ToArray(), shape);
        error = null;
        return true;
    }

    private static DingFailedEventShape WriteObject(Utf8JsonWriter writer, JsonElement data, HashSet<string> written, ref string? corpId)
    {
        var shape = DingFailedEventShape.EnvelopeOnly;
        foreach (var member in data.EnumerateObject())
        {
            var name = member.Name;
            if (name.Equals("corpid", StringComparison.OrdinalIgnoreCase))
            {
                // The failed list's lower-case corpid (or CorpId): the envelope's CorpId.
                if (member.Value.ValueKind == JsonValueKind.String)
                {
                    corpId = member.Value.GetString();
                }

                continue;
            }

            if (name.Equals("userid", StringComparison.OrdinalIgnoreCase))
            {
                Write(writer, written, "UserId", member.Value);
                shape = Promote(shape, DingFailedEventShape.Contact);
                continue;
            }

            if (name.Equals("deptid", StringComparison.OrdinalIgnoreCase))
            {
                Write(writer, written, "DeptId", member.Value);
                shape = Promote(shape, DingFailedEventShape.Contact);
                continue;
            }

            var container = name.ToUpperInvariant() switch
            {
                "BPMSCALLBACKDATA" => DingFailedEventShape.Approval,
                "ROLELABELCHANGE" => DingFailedEventShape.RoleLabel,
                "CALLBACKDATA" => DingFailedEventShape.CallbackData,
                _ => (DingFailedEventShape?)null,
            };
            if (container is { } kind && TryGetObject(member.Value, out var inner, out var owned))
            {
                using (owned)
                {
                    foreach (var field in inner.EnumerateObject())
                    {
                        Write(writer, written, field.Name, field.Value);
                    }
                }

                shape = Promote(shape, kind);
                continue;
            }

            Write(writer, written, name, member.Value);
            shape = Promote(shape, DingFailedEventShape.Unknown);
        }

        return shape;
    }

    /// <summary>A documented shape wins over <see cref="DingFailedEventShape.Unknown"/> extras and over the envelope alone.</summary>
    private static DingFailedEventShape Promote(DingFailedEventShape current, DingFailedEventShape found) =>
        current is DingFailedEventShape.EnvelopeOnly || (current is DingFailedEventShape.Unknown && found is not DingFailedEventShape.Unknown)
            ? found
            : current;

    private static void Write(Utf8JsonWriter writer, HashSet<string> written, string name, JsonElement value)
    {
        if (written.Add(name))
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    private static void WriteJavaMap(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, JavaMap.Value>> map, HashSet<string> written, ref string? corpId)
    {
        foreach (var (key, value) in map)
        {
            if (key.Equals("corpid", StringComparison.OrdinalIgnoreCase))
            {
                corpId = value.Text ?? corpId;
                continue;
            }

            var name = key.Equals("userid", StringComparison.OrdinalIgnoreCase) ? "UserId"
                : key.Equals("deptid", StringComparison.OrdinalIgnoreCase) ? "DeptId"
                : key;
            if (!written.Add(name))
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (value.Items is { } items)
            {
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteStringValue(value.Text);
            }
        }
    }

    private static bool TryParseObject(string json, [NotNullWhen(true)] out JsonDocument? document)
    {
        document = null;
        try
        {
            var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (parsed.RootElement.ValueKind == JsonValueKind.Object)
            {
                document = parsed;
                return true;
            }

            parsed.Dispose();
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>An object member, or a string member holding a JSON object (parsed; <paramref name="owned"/> disposes it).</summary>
    private static bool TryGetObject(JsonElement value, out JsonElement inner, out JsonDocument? owned)
    {
        owned = null;
        inner = value;
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && TryParseObject(value.GetString()!, out owned))
        {
            inner = owned.RootElement;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads a flat <c>java.util.Map.toString()</c> text: <c>{key=value, key=[a, b]}</c>. Values are strings or lists of
    /// strings; nested maps are kept as their text.
    /// </summary>
    private static class JavaMap
    {
        public readonly record struct Value(string? Text, IReadOnlyList<string>? Items);

        public static bool TryParse(string text, [NotNullWhen(true)] out IReadOnlyList<KeyValuePair<string, Value>>? map)
        {
            map = null;
            var span = text.AsSpan().Trim();
            if (span.Length < 2 || span[0] != '{' || span[^1] != '}')
            {
                return false;
            }

            var body = span[1..^1];
            var result = new List<KeyValuePair<string, Value>>();
            foreach (var part in SplitTopLevel(body))
            {
                var item = part.AsSpan().Trim();
                if (item.IsEmpty)
                {
                    continue;
                }

                var equals = item.IndexOf('=');
                if (equals <= 0)
                {
                    return false;
                }

                var key = item[..equals].Trim().ToString();
                var raw = item[(equals + 1)..].Trim();
                if (raw.Length >= 2 && raw[0] == '[' && raw[^1] == ']')
                {
                    var items = new List<string>();
                    foreach (var element in SplitTopLevel(raw[1..^1]))
                    {
                        var trimmed = element.AsSpan().Trim();
                        if (!trimmed.IsEmpty)
                        {
                            items.Add(trimmed.ToString());
                        }
                    }

                    result.Add(new(key, new Value(null, items)));
                }
                else
                {
                    result.Add(new(key, new Value(raw.ToString(), null)));
                }
            }

            map = result;
            return true;
        }

        private static List<string> SplitTopLevel(ReadOnlySpan<char> text)
        {
            var parts = new List<string>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '[' or '{':
                        depth++;
                        break;
                    case ']' or '}':
                        depth = Math.Max(0, depth - 1);
                        break;
                    case ',' when depth == 0:
                        parts.Add(new string(text[start..i]));
                        start = i + 1;
                        break;
                }
            }

            parts.Add(new string(text[start..]));
            return parts;
        }
    }
}
