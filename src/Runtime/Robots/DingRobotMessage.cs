using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>The <c>msgtype</c> values of robot messages DingTalk is known to send.</summary>
public static class DingRobotMessageTypes
{
    /// <summary>Plain text (<see cref="DingRobotMessage.Text"/>).</summary>
    public const string Text = "text";

    /// <summary>Text mixed with pictures (<see cref="DingRobotMessage.RichText"/>).</summary>
    public const string RichText = "richText";

    /// <summary>A picture (<see cref="DingRobotMessage.Picture"/>).</summary>
    public const string Picture = "picture";

    /// <summary>A file (<see cref="DingRobotMessage.File"/>).</summary>
    public const string File = "file";

    /// <summary>A voice message (<see cref="DingRobotMessage.Audio"/>).</summary>
    public const string Audio = "audio";

    /// <summary>A video (<see cref="DingRobotMessage.Content"/> holds its download code).</summary>
    public const string Video = "video";

    /// <summary>Every known type, in ordinal order.</summary>
    public static IReadOnlyList<string> All { get; } = [Audio, File, Picture, RichText, Text, Video];
}

/// <summary>
/// A message a user sent to the app's chat robot, as DingTalk pushes it (stream topic <c>/v1.0/im/bot/messages/get</c>, or an
/// HTTP robot callback). Members are DingTalk's field names; unknown fields are kept in <see cref="ExtensionData"/> and the
/// type-specific <c>content</c> of any message type in <see cref="Content"/>, so message types DingTalk adds later still reach
/// handlers.
/// </summary>
public sealed record DingRobotMessage
{
    // System.Text.Json's source generator passes every init-only property to the object initializer, null when the field is absent
    // from the JSON: these getters keep the documented defaults.
    private readonly string? _msgId;
    private readonly string? _msgType;
    private readonly string? _conversationId;
    private readonly string? _conversationType;
    private readonly IReadOnlyList<DingRobotAtUser>? _atUsers;

    /// <summary>The message id (<c>msgId</c>), unique per message.</summary>
    public string MsgId { get => _msgId ?? string.Empty; init => _msgId = value; }

    /// <summary>The message type (<c>msgtype</c>): a constant of <see cref="DingRobotMessageTypes"/>, or one DingTalk added later.</summary>
    public string MsgType { get => _msgType ?? string.Empty; init => _msgType = value; }

    /// <summary>The conversation (<c>conversationId</c>, <c>cid…</c>); for a group, its <c>openConversationId</c>.</summary>
    public string ConversationId { get => _conversationId ?? string.Empty; init => _conversationId = value; }

    /// <summary><c>1</c> for a one-to-one chat, <c>2</c> for a group (<c>conversationType</c>).</summary>
    public string ConversationType { get => _conversationType ?? string.Empty; init => _conversationType = value; }

    /// <summary>Whether the message comes from a group (<see cref="ConversationType"/> is <c>2</c>).</summary>
    [JsonIgnore]
    public bool IsGroup => ConversationType == "2";

    /// <summary>The group's title (<c>conversationTitle</c>); absent in one-to-one chats.</summary>
    public string? ConversationTitle { get; init; }

    /// <summary>The sender's encrypted DingTalk id (<c>senderId</c>).</summary>
    public string? SenderId { get; init; }

    /// <summary>The sender's user id in the organisation (<c>senderStaffId</c>); absent for users outside it.</summary>
    public string? SenderStaffId { get; init; }

    /// <summary>The sender's display name (<c>senderNick</c>).</summary>
    public string? SenderNick { get; init; }

    /// <summary>The sender's organisation (<c>senderCorpId</c>).</summary>
    public string? SenderCorpId { get; init; }

    /// <summary>Whether the sender is an administrator of the organisation (<c>isAdmin</c>).</summary>
    public bool IsAdmin { get; init; }

    /// <summary>The robot's organisation (<c>chatbotCorpId</c>).</summary>
    public string? ChatbotCorpId { get; init; }

    /// <summary>The robot's encrypted user id in the conversation (<c>chatbotUserId</c>).</summary>
    public string? ChatbotUserId { get; init; }

    /// <summary>The robot that received the message (<c>robotCode</c>; for an internal app, its AppKey).</summary>
    public string? RobotCode { get; init; }

    /// <summary>Whether the robot was @-mentioned (<c>isInAtList</c>).</summary>
    public bool IsInAtList { get; init; }

    /// <summary>The users @-mentioned in the message (<c>atUsers</c>).</summary>
    public IReadOnlyList<DingRobotAtUser> AtUsers { get => _atUsers ?? []; init => _atUsers = value; }

    /// <summary>The URL a reply to this message can be posted to without a token until <see cref="SessionWebhookExpiredTime"/> (<c>sessionWebhook</c>).</summary>
    public string? SessionWebhook { get; init; }

    /// <summary>When <see cref="SessionWebhook"/> expires, in Unix milliseconds (<c>sessionWebhookExpiredTime</c>).</summary>
    public long SessionWebhookExpiredTime { get; init; }

    /// <summary><see cref="SessionWebhookExpiredTime"/> as a time.</summary>
    [JsonIgnore]
    public DateTimeOffset SessionWebhookExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(SessionWebhookExpiredTime);

    /// <summary>When the message was sent, in Unix milliseconds (<c>createAt</c>).</summary>
    public long CreateAt { get; init; }

    /// <summary>The text of a <c>text</c> message (<c>text</c>).</summary>
    public DingRobotText? Text { get; init; }

    /// <summary>
    /// The text content: <see cref="Text"/>'s content for a <c>text</c> message (trimmed: DingTalk puts a space where the
    /// @-mention was), the text parts of a <c>richText</c> message joined, the recognised words of an <c>audio</c> message,
    /// else <see langword="null"/>.
    /// </summary>
    [JsonIgnore]
    public string? TextContent => MsgType switch
    {
        DingRobotMessageTypes.Text => Text?.Content?.Trim(),
        DingRobotMessageTypes.RichText => RichText is { } rich ? JoinText(rich) : null,
        DingRobotMessageTypes.Audio => Audio?.Recognition,
        _ => null,
    };

    /// <summary>The type-specific <c>content</c> object as DingTalk sent it (picture, rich text, file, audio, video, and types added later).</summary>
    public JsonElement? Content { get; init; }

    /// <summary>The <c>content</c> of a <c>picture</c> message, else <see langword="null"/>.</summary>
    [JsonIgnore]
    public DingRobotPicture? Picture => ReadContent(DingRobotMessageTypes.Picture, DingRobotJsonContext.Default.DingRobotPicture);

    /// <summary>The <c>content</c> of a <c>richText</c> message, else <see langword="null"/>.</summary>
    [JsonIgnore]
    public DingRobotRichText? RichText => ReadContent(DingRobotMessageTypes.RichText, DingRobotJsonContext.Default.DingRobotRichText);

    /// <summary>The <c>content</c> of a <c>file</c> message, else <see langword="null"/>.</summary>
    [JsonIgnore]
    public DingRobotFile? File => ReadContent(DingRobotMessageTypes.File, DingRobotJsonContext.Default.DingRobotFile);

    /// <summary>The <c>content</c> of an <c>audio</c> message, else <see langword="null"/>.</summary>
    [JsonIgnore]
    public DingRobotAudio? Audio => ReadContent(DingRobotMessageTypes.Audio, DingRobotJsonContext.Default.DingRobotAudio);

    /// <summary>Fields of the message DingGen does not model, as sent (settable: System.Text.Json cannot fill init-only extension data).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    private T? ReadContent<T>(string msgType, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (MsgType != msgType || Content is not { ValueKind: JsonValueKind.Object } content)
        {
            return null;
        }

        try
        {
            return content.Deserialize(typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? JoinText(DingRobotRichText rich)
    {
        var text = string.Concat(rich.Parts.Select(part => part.Text)).Trim();
        return text.Length == 0 ? null : text;
    }
}

/// <summary>A user @-mentioned in a robot message.</summary>
public sealed record DingRobotAtUser
{
    /// <summary>The user's encrypted DingTalk id (<c>dingtalkId</c>).</summary>
    public string? DingtalkId { get; init; }

    /// <summary>The user's id in the organisation (<c>staffId</c>), when the user belongs to it.</summary>
    public string? StaffId { get; init; }
}

/// <summary>The <c>text</c> of a text robot message.</summary>
public sealed record DingRobotText
{
    /// <summary>The text as typed (<c>content</c>), with the @-mention removed.</summary>
    public string? Content { get; init; }
}

/// <summary>The <c>content</c> of a picture robot message.</summary>
public sealed record DingRobotPicture
{
    /// <summary>The code to download the picture with (<c>downloadCode</c>), through the robot file download API.</summary>
    public string? DownloadCode { get; init; }

    /// <summary>The picture's own download code (<c>pictureDownloadCode</c>), when sent.</summary>
    public string? PictureDownloadCode { get; init; }
}

/// <summary>The <c>content</c> of a rich text robot message: its parts in order.</summary>
public sealed record DingRobotRichText
{
    /// <summary>The parts (<c>richText</c>).</summary>
    [JsonPropertyName("richText")]
    public IReadOnlyList<DingRobotRichTextPart> Parts { get => _parts ?? []; init => _parts = value; }

    // System.Text.Json's source generator passes every init-only property to the object initializer, null when absent: the
    // getter keeps the documented default.
    private readonly IReadOnlyList<DingRobotRichTextPart>? _parts;
}

/// <summary>One part of a rich text robot message: text, or a picture.</summary>
public sealed record DingRobotRichTextPart
{
    /// <summary>The part's text (<c>text</c>), for a text part.</summary>
    public string? Text { get; init; }

    /// <summary>The part's type (<c>type</c>, e.g. <c>picture</c>), when not text.</summary>
    public string? Type { get; init; }

    /// <summary>The picture's download code (<c>downloadCode</c>), for a picture part.</summary>
    public string? DownloadCode { get; init; }

    /// <summary>The picture's own download code (<c>pictureDownloadCode</c>), when sent.</summary>
    public string? PictureDownloadCode { get; init; }
}

/// <summary>The <c>content</c> of a file robot message.</summary>
public sealed record DingRobotFile
{
    /// <summary>The code to download the file with (<c>downloadCode</c>).</summary>
    public string? DownloadCode { get; init; }

    /// <summary>The file's name (<c>fileName</c>).</summary>
    public string? FileName { get; init; }
}

/// <summary>The <c>content</c> of an audio robot message.</summary>
public sealed record DingRobotAudio
{
    /// <summary>The code to download the recording with (<c>downloadCode</c>).</summary>
    public string? DownloadCode { get; init; }

    /// <summary>The recording's length in milliseconds (<c>duration</c>).</summary>
    public long Duration { get; init; }

    /// <summary>DingTalk's speech recognition of the recording (<c>recognition</c>).</summary>
    public string? Recognition { get; init; }
}
