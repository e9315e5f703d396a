using System.Buffers;
using System.Text.Json;
using DingGen.Events;

namespace DingGen;

/// <summary>
/// Reads robot messages and card callbacks from their JSON (HTTP body or a stream frame's <c>data</c>) with the checks both channels
/// share, and writes the card callback's response. Error texts are safe to log and to answer with: they never quote the input.
/// </summary>
internal static class DingInteractionJson
{
    /// <summary>The metric and log name of a robot message (tag <c>dinggen.event_type</c>).</summary>
    public const string RobotMessageType = "robot_message";

    /// <summary>The metric and log name of a card callback (tag <c>dinggen.event_type</c>).</summary>
    public const string CardCallbackType = "card_callback";

    /// <summary>The stream topic of robot messages.</summary>
    public const string RobotTopic = "/v1.0/im/bot/messages/get";

    /// <summary>The stream topic of card callbacks.</summary>
    public const string CardTopic = "/v1.0/card/instances/callback";

    /// <summary>
    /// Reads a robot message: a JSON object with non-empty string <c>msgId</c> and <c>msgtype</c>. <see langword="false"/> with a
    /// reason otherwise (invalid UTF-8, not JSON, not an object, a member of the wrong type, a required member missing).
    /// </summary>
    public static bool TryReadRobotMessage(ReadOnlySpan<byte> json, out DingRobotMessage? message, out string? error)
    {
        message = null;
        if (!IsObject(json, out error))
        {
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize(json, DingRobotJsonContext.Default.DingRobotMessage);
        }
        catch (JsonException)
        {
            error = "the robot message has a member of the wrong type";
            return false;
        }

        if (message is null || string.IsNullOrEmpty(message.MsgId) || string.IsNullOrEmpty(message.MsgType))
        {
            error = "the robot message needs the string members msgId and msgtype";
            message = null;
            return false;
        }

        return true;
    }

    /// <summary>Reads a card callback: a JSON object with a non-empty string <c>outTrackId</c>.</summary>
    public static bool TryReadCardCallback(ReadOnlySpan<byte> json, out DingCardCallback? callback, out string? error)
    {
        callback = null;
        if (!IsObject(json, out error))
        {
            return false;
        }

        try
        {
            callback = JsonSerializer.Deserialize(json, DingRobotJsonContext.Default.DingCardCallback);
        }
        catch (JsonException)
        {
            error = "the card callback has a member of the wrong type (content and extension are JSON strings)";
            return false;
        }

        if (callback is null || string.IsNullOrEmpty(callback.OutTrackId))
        {
            error = "the card callback needs the string member outTrackId";
            callback = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The card response DingTalk applies: <c>{"cardData":{"cardParamMap":{…}},"privateData":{"&lt;userId&gt;":{"cardParamMap":{…}}}}</c>,
    /// each part only when it sets something; <c>{}</c> for no update.
    /// </summary>
    public static byte[] WriteCardUpdate(DingCardUpdate? update)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCardUpdate(writer, update);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>data</c> of a CALLBACK acknowledgement: <c>{"response":&lt;update&gt;}</c>, or <c>{"response":null}</c> without one.</summary>
    public static string WriteStreamResponse(DingCardUpdate? update)
    {
        if (update is null || update.IsEmpty)
        {
            return DingStreamFrames.NullCallbackResponse;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("response"u8);
            WriteCardUpdate(writer, update);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCardUpdate(Utf8JsonWriter writer, DingCardUpdate? update)
    {
        writer.WriteStartObject();
        if (update is not null)
        {
            if (update.CardParams.Count > 0)
            {
                writer.WriteStartObject("cardData"u8);
                WriteParamMap(writer, update.CardParams);
                writer.WriteEndObject();
            }

            var privateParams = update.PrivateParams;
            if (privateParams.Count > 0)
            {
                writer.WriteStartObject("privateData"u8);
                foreach (var (user, values) in privateParams.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(user);
                    WriteParamMap(writer, values);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteParamMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> values)
    {
        writer.WriteStartObject("cardParamMap"u8);
        foreach (var (key, value) in values.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static bool IsObject(ReadOnlySpan<byte> json, out string? error)
    {
        error = null;
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            error = "the body is not valid UTF-8";
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the body is not a JSON object";
                return false;
            }

            reader.Skip();
            // Reading on rejects anything after the object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            error = "the body is not valid JSON";
            return false;
        }

        return true;
    }
}
