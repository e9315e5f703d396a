using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DingGen;

/// <summary>
/// Writes the JSON bodies of robot replies with <see cref="Utf8JsonWriter"/> (no reflection): the session webhook's message
/// (<c>msgtype</c> <c>text</c>, <c>markdown</c>, <c>actionCard</c>) and the robot send API's <c>msgKey</c>/<c>msgParam</c> pairs.
/// Shared by the core sender and <c>DingGen.OpenApi</c>, so both speak the same shapes.
/// </summary>
internal static class DingRobotReplyJson
{
    /// <summary>The most buttons the robot send API carries (<c>sampleActionCard5</c>).</summary>
    public const int MaxApiButtons = 5;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body posted to a session webhook: <c>{"msgtype":"text","text":{"content"},"at":{"atUserIds","isAtAll"}}</c>,
    /// <c>{"msgtype":"markdown","markdown":{"title","text"},"at":{…}}</c>, or <c>{"msgtype":"actionCard","actionCard":{…}}</c> with
    /// <c>singleTitle</c>/<c>singleURL</c> for one button and <c>btns</c> (<c>title</c>, <c>actionURL</c>) with
    /// <c>btnOrientation</c> <c>0</c> (vertical) for several.
    /// </summary>
    /// <exception cref="ArgumentException">An interactive card: it cannot go through a session webhook.</exception>
    public static byte[] WriteWebhookBody(DingRobotReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Write(writer =>
        {
            writer.WriteStartObject();
            switch (reply.Kind)
            {
                case DingRobotReplyKind.Text:
                    writer.WriteString("msgtype", "text");
                    writer.WriteStartObject("text");
                    writer.WriteString("content", reply.Text);
                    writer.WriteEndObject();
                    WriteAt(writer, reply);
                    break;
                case DingRobotReplyKind.Markdown:
                    writer.WriteString("msgtype", "markdown");
                    writer.WriteStartObject("markdown");
                    writer.WriteString("title", reply.Title);
                    writer.WriteString("text", reply.Text);
                    writer.WriteEndObject();
                    WriteAt(writer, reply);
                    break;
                case DingRobotReplyKind.ActionCard:
                    writer.WriteString("msgtype", "actionCard");
                    writer.WriteStartObject("actionCard");
                    writer.WriteString("title", reply.Title);
                    writer.WriteString("text", reply.Text);
                    if (reply.Buttons.Count == 1)
                    {
                        writer.WriteString("singleTitle", reply.Buttons[0].Title);
                        writer.WriteString("singleURL", reply.Buttons[0].Url);
                    }
                    else
                    {
                        writer.WriteString("btnOrientation", "0");
                        writer.WriteStartArray("btns");
                        foreach (var button in reply.Buttons)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("title", button.Title);
                            writer.WriteString("actionURL", button.Url);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndObject();
                    break;
                default:
                    throw new ArgumentException("An interactive card cannot be sent through a session webhook: it goes through the robot API.", nameof(reply));
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The robot send API's <c>msgKey</c> and <c>msgParam</c> (a JSON document, sent as a string) of <paramref name="reply"/>:
    /// <c>sampleText</c> <c>{content}</c>, <c>sampleMarkdown</c> <c>{title,text}</c>, <c>sampleActionCard</c>
    /// <c>{title,text,singleTitle,singleURL}</c> for one button, and <c>sampleActionCard2</c>…<c>sampleActionCard5</c>
    /// <c>{title,text,actionTitle1,actionURL1,…}</c> for two to five (vertical) buttons. The API carries no @-mentions.
    /// </summary>
    /// <exception cref="ArgumentException">An interactive card, or an action card with more than <see cref="MaxApiButtons"/> buttons.</exception>
    public static (string MsgKey, string MsgParam) WriteApiMessage(DingRobotReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        string msgKey;
        switch (reply.Kind)
        {
            case DingRobotReplyKind.Text:
                msgKey = "sampleText";
                break;
            case DingRobotReplyKind.Markdown:
                msgKey = "sampleMarkdown";
                break;
            case DingRobotReplyKind.ActionCard when reply.Buttons.Count == 1:
                msgKey = "sampleActionCard";
                break;
            case DingRobotReplyKind.ActionCard when reply.Buttons.Count <= MaxApiButtons:
                msgKey = "sampleActionCard" + reply.Buttons.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case DingRobotReplyKind.ActionCard:
                throw new ArgumentException($"The robot send API carries action cards of at most {MaxApiButtons} buttons (sampleActionCard5); this one has {reply.Buttons.Count}.", nameof(reply));
            default:
                throw new ArgumentException("An interactive card is sent with the interactive card API, not as a robot message.", nameof(reply));
        }

        var param = Write(writer =>
        {
            writer.WriteStartObject();
            switch (reply.Kind)
            {
                case DingRobotReplyKind.Text:
                    writer.WriteString("content", reply.Text);
                    break;
                case DingRobotReplyKind.Markdown:
                    writer.WriteString("title", reply.Title);
                    writer.WriteString("text", reply.Text);
                    break;
                default:
                    writer.WriteString("title", reply.Title);
                    writer.WriteString("text", reply.Text);
                    if (reply.Buttons.Count == 1)
                    {
                        writer.WriteString("singleTitle", reply.Buttons[0].Title);
                        writer.WriteString("singleURL", reply.Buttons[0].Url);
                    }
                    else
                    {
                        for (var i = 0; i < reply.Buttons.Count; i++)
                        {
                            var n = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                            writer.WriteString("actionTitle" + n, reply.Buttons[i].Title);
                            writer.WriteString("actionURL" + n, reply.Buttons[i].Url);
                        }
                    }

                    break;
            }

            writer.WriteEndObject();
        });
        return (msgKey, System.Text.Encoding.UTF8.GetString(param));
    }

    /// <summary>The interactive card's <c>cardData</c> string: <c>{"cardParamMap":{…}}</c>.</summary>
    public static string WriteCardData(IReadOnlyDictionary<string, string> cardParams)
    {
        ArgumentNullException.ThrowIfNull(cardParams);
        var bytes = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("cardParamMap");
            foreach (var (key, value) in cardParams.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Writes a JSON document with DingTalk's relaxed escaping (Chinese text stays readable).</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAt(Utf8JsonWriter writer, DingRobotReply reply)
    {
        writer.WriteStartObject("at");
        writer.WriteStartArray("atUserIds");
        foreach (var user in reply.AtUserIds)
        {
            writer.WriteStringValue(user);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("isAtAll", reply.AtAll);
        writer.WriteEndObject();
    }
}
