using System.Buffers;
using System.Text.Json;

namespace DingGen;

/// <summary>The kind of a downstream frame (its <c>type</c>).</summary>
internal enum DingStreamFrameKind
{
    Other = 0,
    System = 1,
    Event = 2,
    Callback = 3,
}

/// <summary>A downstream frame of the Stream protocol (spec 5.3): the members DingGen reads; other headers are ignored.</summary>
internal sealed class DingStreamFrame
{
    public DingStreamFrameKind Kind { get; init; }

    /// <summary>The <c>type</c> as sent, for logs of unknown kinds.</summary>
    public string Type { get; init; } = string.Empty;

    public string Topic { get; init; } = string.Empty;

    public string MessageId { get; init; } = string.Empty;

    public string? EventType { get; init; }

    public string? EventId { get; init; }

    public string? CorpId { get; init; }

    /// <summary>The <c>data</c> string (JSON text, parsed a second time by whoever uses it), or <see langword="null"/>.</summary>
    public string? Data { get; init; }
}

/// <summary>Reads downstream frames and writes upstream acknowledgements (spec 5.3, 5.4).</summary>
internal static class DingStreamFrames
{
    /// <summary>The <c>data</c> of a SUCCESS event acknowledgement.</summary>
    public const string SuccessData = """{"status":"SUCCESS","message":"success"}""";

    /// <summary>The <c>data</c> of a LATER event acknowledgement (DingTalk redelivers the event).</summary>
    public const string LaterData = """{"status":"LATER","message":"a handler failed; please redeliver"}""";

    /// <summary>The <c>data</c> of a CALLBACK acknowledgement.</summary>
    public const string NullCallbackResponse = """{"response":null}""";

    /// <summary>
    /// Parses a frame. Returns <see langword="false"/> with a reason safe to log (never quoting the frame) when it is not
    /// a JSON object with a string <c>type</c> and a <c>headers</c> object carrying a string <c>messageId</c>.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out DingStreamFrame? frame, out string? error)
    {
        frame = null;
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            error = "the frame is not valid JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the frame is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("type"u8, out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                error = "the frame has no string member 'type'";
                return false;
            }

            if (!root.TryGetProperty("headers"u8, out var headers) || headers.ValueKind != JsonValueKind.Object)
            {
                error = "the frame has no object member 'headers'";
                return false;
            }

            var messageId = HeaderText(headers, "messageId"u8);
            if (string.IsNullOrEmpty(messageId))
            {
                error = "the frame has no header 'messageId'";
                return false;
            }

            string? data = null;
            if (root.TryGetProperty("data"u8, out var dataElement))
            {
                if (dataElement.ValueKind == JsonValueKind.String)
                {
                    data = dataElement.GetString();
                }
                else if (dataElement.ValueKind != JsonValueKind.Null)
                {
                    error = "the frame's 'data' is not a string";
                    return false;
                }
            }

            var type = typeElement.GetString()!;
            frame = new DingStreamFrame
            {
                Kind = type switch
                {
                    "SYSTEM" => DingStreamFrameKind.System,
                    "EVENT" => DingStreamFrameKind.Event,
                    "CALLBACK" => DingStreamFrameKind.Callback,
                    _ => DingStreamFrameKind.Other,
                },
                Type = type.Length > 32 ? type[..32] : type,
                Topic = HeaderText(headers, "topic"u8) ?? string.Empty,
                MessageId = messageId,
                EventType = HeaderText(headers, "eventType"u8),
                EventId = HeaderText(headers, "eventId"u8),
                CorpId = HeaderText(headers, "eventCorpId"u8),
                Data = data,
            };
            return true;
        }
    }

    /// <summary>An upstream acknowledgement: <c>{"code":…,"headers":{"messageId":…,"contentType":"application/json"},"message":…,"data":…}</c>.</summary>
    public static byte[] WriteAck(string messageId, int code, string message, string data)
    {
        var buffer = new ArrayBufferWriter<byte>(160 + data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, code);
            writer.WriteStartObject("headers"u8);
            writer.WriteString("messageId"u8, messageId);
            writer.WriteString("contentType"u8, "application/json"u8);
            writer.WriteEndObject();
            writer.WriteString("message"u8, message);
            writer.WriteString("data"u8, data);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The acknowledgement of an EVENT frame with <paramref name="status"/>.</summary>
    public static byte[] WriteEventAck(string messageId, DingStreamAckStatus status) =>
        WriteAck(messageId, 200, "OK", status == DingStreamAckStatus.Success ? SuccessData : LaterData);

    private static string? HeaderText(JsonElement headers, ReadOnlySpan<byte> name)
    {
        if (!headers.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
