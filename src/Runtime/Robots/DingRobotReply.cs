namespace DingGen;

/// <summary>The kinds of <see cref="DingRobotReply"/>.</summary>
public enum DingRobotReplyKind
{
    /// <summary>Plain text (<c>msgtype</c> <c>text</c>; API <c>msgKey</c> <c>sampleText</c>).</summary>
    Text = 0,

    /// <summary>Markdown with a title (<c>markdown</c>; <c>sampleMarkdown</c>).</summary>
    Markdown = 1,

    /// <summary>A card of markdown with link buttons (<c>actionCard</c>; <c>sampleActionCard</c>…).</summary>
    ActionCard = 2,

    /// <summary>An interactive card built from a card template, whose buttons call back (<see cref="DingCardCallbackAttribute"/>); API only.</summary>
    InteractiveCard = 3,
}

/// <summary>A button of an action card: a title and the URL it opens.</summary>
/// <param name="Title">The button's text.</param>
/// <param name="Url">The URL it opens (<c>https://…</c>, or a <c>dtmd://</c> DingTalk link).</param>
public sealed record DingRobotButton(string Title, string Url);

/// <summary>
/// A reply of the app's chat robot: text, markdown, an action card or an interactive card. Built with the static factories, so no
/// user code writes DingTalk's JSON; returned from a <see cref="DingRobotMessageAttribute"/> handler, or sent with
/// <see cref="IDingRobotReplySender"/>.
/// </summary>
public sealed class DingRobotReply
{
    private DingRobotReply(DingRobotReplyKind kind)
    {
        Kind = kind;
    }

    /// <summary>What kind of reply this is.</summary>
    public DingRobotReplyKind Kind { get; }

    /// <summary>The title: of a markdown reply or an action card (shown in notifications); <see langword="null"/> for text.</summary>
    public string? Title { get; private init; }

    /// <summary>The text of a text reply, or the markdown of a markdown reply or action card.</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>The buttons of an action card (one or more); empty for other kinds.</summary>
    public IReadOnlyList<DingRobotButton> Buttons { get; private init; } = [];

    /// <summary>The users to @-mention (user ids), for text and markdown replies in a group.</summary>
    public IReadOnlyList<string> AtUserIds { get; private init; } = [];

    /// <summary>Whether to @-mention everyone in the group.</summary>
    public bool AtAll { get; private init; }

    /// <summary>The card template of an interactive card (<c>cardTemplateId</c>).</summary>
    public string? CardTemplateId { get; private init; }

    /// <summary>The app's id of an interactive card (<c>cardBizId</c>): its callbacks carry it as <c>outTrackId</c>.</summary>
    public string? CardBizId { get; private init; }

    /// <summary>The public data of an interactive card (<c>cardData.cardParamMap</c>).</summary>
    public IReadOnlyDictionary<string, string> CardParams { get; private init; } = new Dictionary<string, string>(0);

    /// <summary>A text reply.</summary>
    /// <param name="content">The text.</param>
    /// <param name="atUserIds">Users to @-mention in a group (their user ids).</param>
    public static DingRobotReply FromText(string content, params string[] atUserIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        ArgumentNullException.ThrowIfNull(atUserIds);
        return new DingRobotReply(DingRobotReplyKind.Text) { Text = content, AtUserIds = atUserIds.ToArray() };
    }

    /// <summary>A markdown reply.</summary>
    /// <param name="title">The title shown in notifications and the conversation list.</param>
    /// <param name="markdown">The markdown text (DingTalk's subset: headings, bold, links, images, lists, quotes).</param>
    /// <param name="atUserIds">Users to @-mention in a group (their user ids; put <c>@userId</c> in the text where it shows).</param>
    public static DingRobotReply FromMarkdown(string title, string markdown, params string[] atUserIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentException.ThrowIfNullOrEmpty(markdown);
        ArgumentNullException.ThrowIfNull(atUserIds);
        return new DingRobotReply(DingRobotReplyKind.Markdown) { Title = title, Text = markdown, AtUserIds = atUserIds.ToArray() };
    }

    /// <summary>An action card: markdown with one or more link buttons.</summary>
    /// <param name="title">The title shown in notifications.</param>
    /// <param name="markdown">The card's markdown text.</param>
    /// <param name="buttons">The buttons, at least one.</param>
    public static DingRobotReply FromActionCard(string title, string markdown, params DingRobotButton[] buttons)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentException.ThrowIfNullOrEmpty(markdown);
        ArgumentNullException.ThrowIfNull(buttons);
        var list = buttons.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("An action card needs at least one button.", nameof(buttons));
        }

        return new DingRobotReply(DingRobotReplyKind.ActionCard) { Title = title, Text = markdown, Buttons = list };
    }

    /// <summary>
    /// An interactive card from a card template; pressing its buttons calls the app's <see cref="DingCardCallbackAttribute"/>
    /// handlers with <see cref="Events.DingCardCallback.OutTrackId"/> = <paramref name="cardBizId"/>. Always sent through the robot
    /// API (a session webhook cannot carry it).
    /// </summary>
    /// <param name="cardTemplateId">The card template (from DingTalk's card builder).</param>
    /// <param name="cardBizId">The app's id of this card, unique per card.</param>
    /// <param name="cardParams">The template's variables.</param>
    public static DingRobotReply FromInteractiveCard(string cardTemplateId, string cardBizId, IReadOnlyDictionary<string, string> cardParams)
    {
        ArgumentException.ThrowIfNullOrEmpty(cardTemplateId);
        ArgumentException.ThrowIfNullOrEmpty(cardBizId);
        ArgumentNullException.ThrowIfNull(cardParams);
        return new DingRobotReply(DingRobotReplyKind.InteractiveCard)
        {
            CardTemplateId = cardTemplateId,
            CardBizId = cardBizId,
            CardParams = new Dictionary<string, string>(cardParams, StringComparer.Ordinal),
        };
    }

    /// <summary>The same reply, @-mentioning everyone in the group.</summary>
    public DingRobotReply WithAtAll() => new(Kind)
    {
        Title = Title,
        Text = Text,
        Buttons = Buttons,
        AtUserIds = AtUserIds,
        AtAll = true,
        CardTemplateId = CardTemplateId,
        CardBizId = CardBizId,
        CardParams = CardParams,
    };

    /// <inheritdoc />
    public override string ToString() => Kind + (Title is null ? string.Empty : " \"" + Title + "\"");
}

/// <summary>
/// An update of an interactive card's data, returned from a <see cref="DingCardCallbackAttribute"/> handler: public values every
/// viewer sees (<c>cardData.cardParamMap</c>) and private values one user sees (<c>privateData.&lt;userId&gt;.cardParamMap</c>).
/// </summary>
public sealed class DingCardUpdate
{
    private readonly Dictionary<string, string> _cardParams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _privateParams = new(StringComparer.Ordinal);

    /// <summary>The public values to set.</summary>
    public IReadOnlyDictionary<string, string> CardParams => _cardParams;

    /// <summary>The private values to set, per user id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PrivateParams =>
        _privateParams.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, string>)pair.Value, StringComparer.Ordinal);

    /// <summary>Whether the update sets nothing.</summary>
    public bool IsEmpty => _cardParams.Count == 0 && _privateParams.Count == 0;

    /// <summary>Sets a public value every viewer of the card sees.</summary>
    public DingCardUpdate Set(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _cardParams[key] = value;
        return this;
    }

    /// <summary>Sets a value only <paramref name="userId"/> sees.</summary>
    public DingCardUpdate SetPrivate(string userId, string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_privateParams.TryGetValue(userId, out var values))
        {
            _privateParams[userId] = values = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        values[key] = value;
        return this;
    }

    /// <summary>Copies every value of <paramref name="other"/> into this update (its values win).</summary>
    public DingCardUpdate Merge(DingCardUpdate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, value) in other._cardParams)
        {
            _cardParams[key] = value;
        }

        foreach (var (user, values) in other._privateParams)
        {
            foreach (var (key, value) in values)
            {
                SetPrivate(user, key, value);
            }
        }

        return this;
    }
}
