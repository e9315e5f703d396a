using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DingGen.Events;

namespace DingGen.Testing;

/// <summary>
/// Builds the JSON DingTalk pushes for robot messages (<c>text</c>, <c>richText</c>, <c>picture</c>, <c>file</c>, <c>audio</c>; in a
/// group or one-to-one; with @-mentions; with a <c>sessionWebhook</c> and its expiry) and for card callbacks, in DingTalk's field
/// names and shapes, for <see cref="DingTalkRobotSimulator"/>, <c>FakeStreamGateway</c> and handler tests.
/// </summary>
/// <example>
/// <code>
/// var messages = new DingRobotMessageBuilder(time)
///     .InGroup("cidGroup1", "Helpdesk")
///     .From("user42", "张三")
///     .WithSessionWebhooks(conversation => { var hook = fakeDingTalk.CreateSessionWebhook(conversation); return (hook.Url, hook.ExpiresAt); });
/// string json = messages.Text("status 42");
/// </code>
/// </example>
/// <remarks>
/// Settings are kept between messages; each message gets a new <c>msgId</c>, <c>createAt</c> from the builder's clock and (with
/// <see cref="WithSessionWebhooks"/>) a new session webhook. Without a webhook source every message carries
/// <c>https://oapi.dingtalk.com/robot/sendBySession?session=…</c>, valid <see cref="DefaultSessionWebhookLifetime"/>. Not thread-safe.
/// </remarks>
public sealed class DingRobotMessageBuilder
{
    /// <summary>How long the built-in session webhook is valid: one hour (the builder's choice).</summary>
    public static readonly TimeSpan DefaultSessionWebhookLifetime = TimeSpan.FromHours(1);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TimeProvider _timeProvider;
    private string _conversationId = "cidFakeGroup0000000000000000001==";
    private string _conversationType = "2";
    private string? _conversationTitle = "DingGen 测试群";
    private string? _senderStaffId = "user001";
    private string _senderNick = "测试用户";
    private string _senderCorpId = "dingfakecorp0001";
    private bool _isAdmin;
    private string _robotCode = "dingfakeappkey0001";
    private string _chatbotUserId = "$:LWCP_v1:$fakeRobotUser0000000000";
    private bool _isInAtList = true;
    private string[] _atStaffIds = [];
    private Func<string, (Uri Url, DateTimeOffset ExpiresAt)>? _webhooks;
    private (Uri Url, DateTimeOffset ExpiresAt)? _webhook;
    private string? _nextMsgId;

    /// <summary>Creates a builder whose <c>createAt</c> and webhook expiries come from <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public DingRobotMessageBuilder(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Messages come from the group <paramref name="conversationId"/> (<c>conversationType</c> 2), the robot @-mentioned.</summary>
    public DingRobotMessageBuilder InGroup(string conversationId, string title = "DingGen 测试群")
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _conversationId = conversationId;
        _conversationType = "2";
        _conversationTitle = title;
        _isInAtList = true;
        return this;
    }

    /// <summary>Messages come from a one-to-one chat with the robot (<c>conversationType</c> 1, no title, no @-list).</summary>
    public DingRobotMessageBuilder OneToOne(string conversationId = "cidFakeSingle000000000000000001==")
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        _conversationId = conversationId;
        _conversationType = "1";
        _conversationTitle = null;
        _isInAtList = false;
        _atStaffIds = [];
        return this;
    }

    /// <summary>The sender: a user of the organisation with <paramref name="staffId"/> (<c>senderStaffId</c>).</summary>
    public DingRobotMessageBuilder From(string staffId, string nick = "测试用户", bool isAdmin = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(staffId);
        ArgumentException.ThrowIfNullOrEmpty(nick);
        _senderStaffId = staffId;
        _senderNick = nick;
        _isAdmin = isAdmin;
        return this;
    }

    /// <summary>The sender: a user outside the organisation (no <c>senderStaffId</c>, another <c>senderCorpId</c>).</summary>
    public DingRobotMessageBuilder FromOutsider(string nick, string corpId = "dingothercorp0001")
    {
        ArgumentException.ThrowIfNullOrEmpty(nick);
        ArgumentException.ThrowIfNullOrEmpty(corpId);
        _senderStaffId = null;
        _senderNick = nick;
        _senderCorpId = corpId;
        _isAdmin = false;
        return this;
    }

    /// <summary>The robot that receives the messages (<c>robotCode</c>; an internal app's robot code is its AppKey).</summary>
    public DingRobotMessageBuilder ToRobot(string robotCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(robotCode);
        _robotCode = robotCode;
        return this;
    }

    /// <summary>Whether the robot is @-mentioned (<c>isInAtList</c>); set by <see cref="InGroup"/>.</summary>
    public DingRobotMessageBuilder MentioningRobot(bool mentioned = true)
    {
        _isInAtList = mentioned;
        return this;
    }

    /// <summary>Other users @-mentioned in the message (their staff ids, in <c>atUsers</c>).</summary>
    public DingRobotMessageBuilder AtUsers(params IEnumerable<string> staffIds)
    {
        ArgumentNullException.ThrowIfNull(staffIds);
        _atStaffIds = staffIds.ToArray();
        return this;
    }

    /// <summary>Every message carries this <c>sessionWebhook</c> and expiry.</summary>
    public DingRobotMessageBuilder WithSessionWebhook(Uri url, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(url);
        _webhook = (url, expiresAt);
        _webhooks = null;
        return this;
    }

    /// <summary>
    /// Each message asks <paramref name="create"/> for a session webhook for its conversation id (e.g. a fake DingTalk's
    /// <c>CreateSessionWebhook</c>), as DingTalk issues one per message.
    /// </summary>
    public DingRobotMessageBuilder WithSessionWebhooks(Func<string, (Uri Url, DateTimeOffset ExpiresAt)> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        _webhooks = create;
        _webhook = null;
        return this;
    }

    /// <summary>The next message's <c>msgId</c> (otherwise a new one each time).</summary>
    public DingRobotMessageBuilder WithMsgId(string msgId)
    {
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        _nextMsgId = msgId;
        return this;
    }

    /// <summary>A <c>text</c> message. In a group DingTalk removes the @-mention and leaves a space where it was, as here.</summary>
    public string Text(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Build(DingRobotMessageTypes.Text, writer =>
        {
            writer.WriteStartObject("text");
            writer.WriteString("content", (_conversationType == "2" && _isInAtList ? " " : string.Empty) + content);
            writer.WriteEndObject();
        });
    }

    /// <summary>A <c>richText</c> message of <paramref name="parts"/>: text parts (<c>text</c>) and pictures (<c>type</c> <c>picture</c>, <c>downloadCode</c>).</summary>
    public string RichText(params IEnumerable<DingRobotRichTextPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Build(DingRobotMessageTypes.RichText, writer =>
        {
            writer.WriteStartObject("content");
            writer.WriteStartArray("richText");
            foreach (var part in parts)
            {
                writer.WriteStartObject();
                WriteIfSet(writer, "text", part.Text);
                WriteIfSet(writer, "type", part.Type);
                WriteIfSet(writer, "downloadCode", part.DownloadCode);
                WriteIfSet(writer, "pictureDownloadCode", part.PictureDownloadCode);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>A <c>picture</c> message.</summary>
    public string Picture(string downloadCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(downloadCode);
        return Build(DingRobotMessageTypes.Picture, writer =>
        {
            writer.WriteStartObject("content");
            writer.WriteString("downloadCode", downloadCode);
            writer.WriteString("pictureDownloadCode", downloadCode);
            writer.WriteEndObject();
        });
    }

    /// <summary>A <c>file</c> message.</summary>
    public string File(string downloadCode, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(downloadCode);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Build(DingRobotMessageTypes.File, writer =>
        {
            writer.WriteStartObject("content");
            writer.WriteString("spaceId", "1000000001");
            writer.WriteString("fileName", fileName);
            writer.WriteString("downloadCode", downloadCode);
            writer.WriteString("fileId", "2000000001");
            writer.WriteEndObject();
        });
    }

    /// <summary>An <c>audio</c> message with DingTalk's speech recognition of it.</summary>
    public string Audio(string downloadCode, TimeSpan duration, string recognition)
    {
        ArgumentException.ThrowIfNullOrEmpty(downloadCode);
        ArgumentNullException.ThrowIfNull(recognition);
        return Build(DingRobotMessageTypes.Audio, writer =>
        {
            writer.WriteStartObject("content");
            writer.WriteNumber("duration", (long)duration.TotalMilliseconds);
            writer.WriteString("downloadCode", downloadCode);
            writer.WriteString("recognition", recognition);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// A card callback as DingTalk pushes it when user <paramref name="userId"/> presses a button of card <paramref name="outTrackId"/>:
    /// <c>{"outTrackId","type":"actionCallback","corpId","userId","content","extension"}</c>, where <c>content</c> is the JSON string
    /// <c>{"cardPrivateData":{"actionIds":[…],"params":{…}}}</c>.
    /// </summary>
    /// <param name="outTrackId">The card's id (its <c>cardBizId</c> when the robot sent it).</param>
    /// <param name="userId">The user who acted.</param>
    /// <param name="actionIds">The ids of the actions taken (e.g. the button's).</param>
    /// <param name="parameters">The action's parameters; none when <see langword="null"/>.</param>
    /// <param name="corpId">The user's organisation.</param>
    public static string CardCallback(string outTrackId, string userId, IEnumerable<string> actionIds, IReadOnlyDictionary<string, string>? parameters = null, string corpId = "dingfakecorp0001")
    {
        ArgumentException.ThrowIfNullOrEmpty(outTrackId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(actionIds);
        ArgumentException.ThrowIfNullOrEmpty(corpId);
        var content = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("cardPrivateData");
            writer.WriteStartArray("actionIds");
            foreach (var id in actionIds)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("params");
            foreach (var (key, value) in parameters ?? new Dictionary<string, string>(0))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("extension", "{}");
            writer.WriteString("corpId", corpId);
            writer.WriteString("type", "actionCallback");
            writer.WriteString("userId", userId);
            writer.WriteString("content", content);
            writer.WriteString("outTrackId", outTrackId);
            writer.WriteEndObject();
        });
    }

    private string Build(string msgType, Action<Utf8JsonWriter> writeContent)
    {
        var now = _timeProvider.GetUtcNow();
        var msgId = _nextMsgId ?? "msg" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _nextMsgId = null;
        var (webhook, expiresAt) = _webhooks?.Invoke(_conversationId)
            ?? _webhook
            ?? (new Uri("https://oapi.dingtalk.com/robot/sendBySession?session=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))), now + DefaultSessionWebhookLifetime);
        var senderId = "$:LWCP_v1:$" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(_senderStaffId ?? _senderNick)))[..24];
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("conversationId", _conversationId);
            if (_conversationType == "2")
            {
                writer.WriteStartArray("atUsers");
                if (_isInAtList)
                {
                    writer.WriteStartObject();
                    writer.WriteString("dingtalkId", _chatbotUserId);
                    writer.WriteEndObject();
                }

                foreach (var staffId in _atStaffIds)
                {
                    writer.WriteStartObject();
                    writer.WriteString("dingtalkId", "$:LWCP_v1:$" + staffId);
                    writer.WriteString("staffId", staffId);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteString("chatbotCorpId", "dingfakecorp0001");
            writer.WriteString("chatbotUserId", _chatbotUserId);
            writer.WriteString("msgId", msgId);
            writer.WriteString("senderNick", _senderNick);
            writer.WriteBoolean("isAdmin", _isAdmin);
            WriteIfSet(writer, "senderStaffId", _senderStaffId);
            writer.WriteNumber("sessionWebhookExpiredTime", expiresAt.ToUnixTimeMilliseconds());
            writer.WriteNumber("createAt", now.ToUnixTimeMilliseconds());
            writer.WriteString("senderCorpId", _senderCorpId);
            writer.WriteString("conversationType", _conversationType);
            writer.WriteString("senderId", senderId);
            WriteIfSet(writer, "conversationTitle", _conversationTitle);
            if (_conversationType == "2")
            {
                writer.WriteBoolean("isInAtList", _isInAtList);
            }

            writer.WriteString("sessionWebhook", webhook.ToString());
            writeContent(writer);
            writer.WriteString("robotCode", _robotCode);
            writer.WriteString("msgtype", msgType);
            writer.WriteEndObject();
        });
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
