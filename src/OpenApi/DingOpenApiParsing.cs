using System.Globalization;
using System.Text.Json;

namespace DingGen;

/// <summary>Lenient readers of the server API's loosely typed answers (failed-delivery list, approval instances).</summary>
internal static class DingOpenApiParsing
{
    public static DingFailedEventPage ParseFailedEventPage(JsonElement root)
    {
        var hasMore = root.TryGetProperty("has_more", out var more) && ReadBoolean(more);
        var events = new List<DingFailedEvent>();
        if (root.TryGetProperty("failed_list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in list.EnumerateArray())
            {
                if (TryParseFailedEvent(entry, out var failed))
                {
                    events.Add(failed);
                }
            }
        }

        return new DingFailedEventPage(events, hasMore);
    }

    public static bool TryParseFailedEvent(JsonElement entry, out DingFailedEvent failed)
    {
        failed = null!;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var tag = ReadString(entry, "call_back_tag");
        if (string.IsNullOrEmpty(tag))
        {
            return false;
        }

        var eventTime = DateTimeOffset.UnixEpoch;
        if (entry.TryGetProperty("event_time", out var time) && TryReadInt64(time, out var milliseconds))
        {
            eventTime = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(milliseconds, 0, 253402300799999));
        }

        string? dataJson = null;
        string? corpId = null;
        if (entry.TryGetProperty(tag, out var data))
        {
            switch (data.ValueKind)
            {
                case JsonValueKind.Object:
                    dataJson = data.GetRawText();
                    corpId = ReadString(data, "corpid") ?? ReadString(data, "corpId") ?? ReadString(data, "CorpId");
                    break;
                case JsonValueKind.String:
                    dataJson = data.GetString();
                    corpId = ReadJavaMapValue(dataJson, "corpid");
                    break;
                case JsonValueKind.Array:
                    dataJson = data.GetRawText();
                    break;
            }
        }

        corpId ??= ReadString(entry, "corpid");
        failed = new DingFailedEvent(tag, eventTime, corpId, entry.GetRawText(), dataJson);
        return true;
    }

    /// <summary>Reads <c>key=value</c> from a Java <c>Map.toString()</c> text such as <c>{corpid=ding…, userid=[a, b]}</c>.</summary>
    internal static string? ReadJavaMapValue(string? text, string key)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var span = text.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '{' && span[^1] == '}')
        {
            span = span[1..^1];
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            var end = i == span.Length;
            if (!end)
            {
                var c = span[i];
                if (c is '{' or '[')
                {
                    depth++;
                }
                else if (c is '}' or ']')
                {
                    depth--;
                }
            }

            if (end || (span[i] == ',' && depth == 0))
            {
                var pair = span[start..i].Trim();
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
                {
                    var value = pair[(equals + 1)..].Trim();
                    return value.IsEmpty ? null : value.ToString();
                }

                start = i + 1;
            }
        }

        return null;
    }

    public static DingProcessInstance ParseProcessInstance(string processInstanceId, JsonElement instance, TimeSpan offset)
    {
        var forms = new List<DingFormComponentValue>();
        if (instance.TryGetProperty("form_component_values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.Object)
                {
                    forms.Add(new DingFormComponentValue(
                        ReadString(value, "name"),
                        ReadString(value, "value"),
                        ReadString(value, "id"),
                        ReadString(value, "component_type"),
                        ReadString(value, "ext_value")));
                }
            }
        }

        var tasks = new List<DingProcessTask>();
        if (instance.TryGetProperty("tasks", out var taskList) && taskList.ValueKind == JsonValueKind.Array)
        {
            foreach (var task in taskList.EnumerateArray())
            {
                if (task.ValueKind == JsonValueKind.Object)
                {
                    tasks.Add(new DingProcessTask(
                        ReadString(task, "taskid") ?? ReadString(task, "task_id"),
                        ReadString(task, "userid"),
                        ReadString(task, "task_status"),
                        ReadString(task, "task_result"),
                        ReadTime(task, "create_time", offset),
                        ReadTime(task, "finish_time", offset)));
                }
            }
        }

        var cc = new List<string>();
        if (instance.TryGetProperty("cc_userids", out var ccList) && ccList.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in ccList.EnumerateArray())
            {
                if (ScalarToString(id) is { } text)
                {
                    cc.Add(text);
                }
            }
        }

        return new DingProcessInstance(
            processInstanceId,
            ReadString(instance, "title"),
            ReadString(instance, "status"),
            ReadString(instance, "result"),
            ReadString(instance, "originator_userid"),
            ReadString(instance, "originator_dept_id"),
            ReadString(instance, "originator_dept_name"),
            ReadTime(instance, "create_time", offset),
            ReadTime(instance, "finish_time", offset),
            ReadString(instance, "business_id"),
            ReadString(instance, "biz_action"),
            forms,
            tasks,
            instance.GetRawText())
        {
            CcUserIds = cc,
        };
    }

    /// <summary>A string member, or a number/boolean as its text; <see langword="null"/> when absent, null or structured.</summary>
    internal static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? ScalarToString(value) : null;

    private static string? ScalarToString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>
    /// A time as DingTalk writes it: <c>yyyy-MM-dd HH:mm:ss</c> in China Standard Time, an ISO 8601 text, or milliseconds since the epoch.
    /// </summary>
    internal static DateTimeOffset? ReadTime(JsonElement element, string name, TimeSpan offset)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (TryReadInt64(value, out var milliseconds) && milliseconds > 0)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(milliseconds, 253402300799999));
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    private static bool TryReadInt64(JsonElement value, out long result)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetInt64(out result);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
        }

        result = 0;
        return false;
    }

    private static bool ReadBoolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Number => value.TryGetInt32(out var n) && n != 0,
        _ => false,
    };
}
