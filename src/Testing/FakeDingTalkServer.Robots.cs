using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DingGen.Testing;

public sealed partial class FakeDingTalkServer
{
    /// <summary>The path of the fake's session webhooks, as DingTalk's: <c>/robot/sendBySession</c> (the session in the query).</summary>
    public const string SessionWebhookPath = "/robot/sendBySession";

    /// <summary>
    /// The <c>errcode</c> a session webhook answers when its session expired or is unknown (the fake's choice; DingTalk refuses with
    /// an errcode ≠ 0 whose value it does not document).
    /// </summary>
    public const int SessionWebhookRefusedCode = 300001;

    /// <summary>How long a session webhook from <see cref="CreateSessionWebhook"/> is valid unless told otherwise: one hour (the fake's choice).</summary>
    public static readonly TimeSpan DefaultSessionWebhookLifetime = TimeSpan.FromHours(1);

    private static readonly string[] RobotApiPaths =
    [
        DingTalkClient.RobotGroupMessagesPath,
        DingTalkClient.RobotOneToOneMessagesPath,
        DingTalkClient.RobotInteractiveCardsPath,
    ];

    private readonly Dictionary<string, FakeSessionWebhook> _sessions = new(StringComparer.Ordinal);
    private readonly List<FakeRobotReply> _robotReplies = [];

    /// <summary>
    /// Every robot reply the fake accepted, in order: posted to a session webhook, or sent through the robot send API or the
    /// interactive card API. Refused ones are not listed (see <see cref="Requests"/>).
    /// </summary>
    public IReadOnlyList<FakeRobotReply> RobotReplies
    {
        get
        {
            lock (_lock)
            {
                return _robotReplies.ToArray();
            }
        }
    }

    /// <summary>
    /// The robot code the robot APIs accept; default the <see cref="FakeDingTalkServerOptions.AppKey"/> (an internal app's robot code
    /// is its AppKey).
    /// </summary>
    public string RobotCode => _options.RobotCode ?? _options.AppKey;

    /// <summary>
    /// Hands out a session webhook for the conversation <paramref name="conversationId"/>, as DingTalk puts one in every robot message:
    /// <c>{BaseAddress}robot/sendBySession?session=…</c>, valid until <see cref="FakeSessionWebhook.ExpiresAt"/> by the fake's clock.
    /// After that the fake refuses it with <see cref="SessionWebhookRefusedCode"/>, as DingTalk refuses an expired session.
    /// </summary>
    /// <param name="conversationId">The conversation replies through it go to (recorded in <see cref="FakeRobotReply.ConversationId"/>).</param>
    /// <param name="validFor">How long it is valid; <see cref="DefaultSessionWebhookLifetime"/> when <see langword="null"/>.</param>
    public FakeSessionWebhook CreateSessionWebhook(string conversationId, TimeSpan? validFor = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expiresAt = _options.TimeProvider.GetUtcNow() + (validFor ?? DefaultSessionWebhookLifetime);

        // DingTalk sends Unix milliseconds: the expiry is kept at that precision so the message and the fake agree.
        expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds());
        var webhook = new FakeSessionWebhook(new Uri(BaseAddress, SessionWebhookPath.TrimStart('/') + "?session=" + session), expiresAt, conversationId);
        lock (_lock)
        {
            _sessions[session] = webhook;
        }

        return webhook;
    }

    /// <summary>
    /// A <see cref="DingRobotMessageBuilder"/> whose messages carry a session webhook of this fake (a new one per message, valid
    /// <paramref name="sessionLifetime"/>), sent by this fake's robot (<see cref="RobotCode"/>), timed by its clock.
    /// </summary>
    public DingRobotMessageBuilder CreateRobotMessageBuilder(TimeSpan? sessionLifetime = null) =>
        new DingRobotMessageBuilder(_options.TimeProvider)
            .ToRobot(RobotCode)
            .WithSessionWebhooks(conversationId =>
            {
                var webhook = CreateSessionWebhook(conversationId, sessionLifetime);
                return (webhook.Url, webhook.ExpiresAt);
            });

    /// <summary>Waits until at least <paramref name="count"/> robot replies were accepted in total (handlers often reply after answering).</summary>
    /// <exception cref="TimeoutException">They were not within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<FakeRobotReply>> WaitForRobotRepliesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var replies = RobotReplies;
            if (replies.Count >= count)
            {
                return replies;
            }

            try
            {
                await Task.Delay(20, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The fake DingTalk received {RobotReplies.Count} robot replies within {timeout.TotalSeconds:0.###} s; {count} were expected."));
            }
        }
    }

    private static bool IsRobotApiPath(string path) => Array.IndexOf(RobotApiPaths, path) >= 0;

    private async Task<FakeAnswer> HandleSessionWebhookAsync(HttpContext context)
    {
        var session = context.Request.Query["session"].ToString();
        FakeSessionWebhook? webhook;
        lock (_lock)
        {
            _sessions.TryGetValue(session, out webhook);
        }

        if (webhook is null)
        {
            return FakeAnswer.Error(SessionWebhookRefusedCode, "session不存在");
        }

        if (_options.TimeProvider.GetUtcNow() >= webhook.ExpiresAt)
        {
            return FakeAnswer.Error(SessionWebhookRefusedCode, "session已过期");
        }

        string bodyJson;
        JsonDocument document;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            bodyJson = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            document = JsonDocument.Parse(bodyJson);
        }
        catch (JsonException)
        {
            return FakeAnswer.Error(40035, "缺少参数 json");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return FakeAnswer.Error(40035, "缺少参数 json");
            }

            var msgType = ReadString(root, "msgtype");
            var reply = new FakeRobotReply
            {
                Route = FakeRobotReplyRoute.SessionWebhook,
                Kind = DingRobotReplyKind.Text,
                ConversationId = webhook.ConversationId,
                BodyJson = bodyJson,
            };
            switch (msgType)
            {
                case "text" when root.TryGetProperty("text", out var text) && ReadString(text, "content") is { } content:
                    reply = reply with { Text = content };
                    break;
                case "markdown" when root.TryGetProperty("markdown", out var markdown) && ReadString(markdown, "title") is { } title && ReadString(markdown, "text") is { } body:
                    reply = reply with { Kind = DingRobotReplyKind.Markdown, Title = title, Text = body };
                    break;
                case "actionCard" when root.TryGetProperty("actionCard", out var card) && card.ValueKind == JsonValueKind.Object
                    && ReadString(card, "title") is { } cardTitle && ReadString(card, "text") is { } cardText
                    && ReadWebhookButtons(card) is { Count: > 0 } buttons:
                    reply = reply with { Kind = DingRobotReplyKind.ActionCard, Title = cardTitle, Text = cardText, Buttons = buttons };
                    break;
                default:
                    return FakeAnswer.Error(40035, "缺少参数 " + (msgType ?? "msgtype"));
            }

            if (root.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.Object)
            {
                reply = reply with
                {
                    AtUserIds = ReadStringArray(at, "atUserIds"),
                    AtAll = at.TryGetProperty("isAtAll", out var all) && all.ValueKind == JsonValueKind.True,
                };
            }

            lock (_lock)
            {
                _robotReplies.Add(reply);
            }
        }

        return FakeAnswer.Ok();
    }

    private static IReadOnlyList<DingRobotButton> ReadWebhookButtons(JsonElement card)
    {
        if (ReadString(card, "singleTitle") is { } singleTitle && ReadString(card, "singleURL") is { } singleUrl)
        {
            return [new DingRobotButton(singleTitle, singleUrl)];
        }

        var buttons = new List<DingRobotButton>();
        if (card.TryGetProperty("btns", out var btns) && btns.ValueKind == JsonValueKind.Array)
        {
            foreach (var button in btns.EnumerateArray())
            {
                if (button.ValueKind != JsonValueKind.Object || ReadString(button, "title") is not { } title || ReadString(button, "actionURL") is not { } url)
                {
                    return [];
                }

                buttons.Add(new DingRobotButton(title, url));
            }
        }

        return buttons;
    }

    /// <summary>
    /// The <c>api.dingtalk.com</c> robot endpoints: the access token in <c>x-acs-dingtalk-access-token</c> (HTTP 401
    /// <c>InvalidAuthentication</c> otherwise), the body checked as DingTalk documents it (HTTP 400 <c>invalidParameter</c> naming
    /// the field), the accepted reply recorded. <see cref="FailNext"/> on these paths answers HTTP 400 with <c>code</c> = the
    /// error code given.
    /// </summary>
    private async Task HandleRobotApiAsync(HttpContext context, string method, string path)
    {
        var (hasInjected, injected) = TakeInjected(path);
        if (hasInjected)
        {
            if (injected.Status is { } status)
            {
                Record(method, path, null, status);
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("injected failure", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await WriteApiErrorAsync(context, method, path, StatusCodes.Status400BadRequest, injected.ErrorCode!.Value.ToString(CultureInfo.InvariantCulture), injected.ErrorMessage!).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(method))
        {
            Record(method, path, null, StatusCodes.Status405MethodNotAllowed);
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var token = context.Request.Headers[DingTalkClient.AccessTokenHeader].ToString();
        bool tokenValid;
        lock (_lock)
        {
            tokenValid = token.Length > 0 && _tokens.TryGetValue(token, out var expiresAt) && _options.TimeProvider.GetUtcNow() < expiresAt;
        }

        if (!tokenValid)
        {
            await WriteApiErrorAsync(context, method, path, StatusCodes.Status401Unauthorized, "InvalidAuthentication", "不合法的access_token").ConfigureAwait(false);
            return;
        }

        string bodyJson;
        JsonDocument document;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            bodyJson = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            document = JsonDocument.Parse(bodyJson);
        }
        catch (JsonException)
        {
            await WriteApiErrorAsync(context, method, path, StatusCodes.Status400BadRequest, "invalidParameter", "the body is not JSON").ConfigureAwait(false);
            return;
        }

        FakeRobotReply? reply;
        string? problem;
        using (document)
        {
            (reply, problem) = document.RootElement.ValueKind != JsonValueKind.Object
                ? (null, "the body is not a JSON object")
                : path switch
                {
                    DingTalkClient.RobotGroupMessagesPath => ReadRobotMessage(document.RootElement, bodyJson, group: true),
                    DingTalkClient.RobotOneToOneMessagesPath => ReadRobotMessage(document.RootElement, bodyJson, group: false),
                    _ => ReadInteractiveCard(document.RootElement, bodyJson),
                };
        }

        if (reply is null)
        {
            await WriteApiErrorAsync(context, method, path, StatusCodes.Status400BadRequest, "invalidParameter", problem!).ConfigureAwait(false);
            return;
        }

        lock (_lock)
        {
            _robotReplies.Add(reply);
        }

        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var json = Json(writer =>
        {
            writer.WriteString("processQueryKey", key);
            if (path == DingTalkClient.RobotOneToOneMessagesPath)
            {
                writer.WriteStartArray("invalidStaffIdList");
                writer.WriteEndArray();
                writer.WriteStartArray("flowControlledStaffIdList");
                writer.WriteEndArray();
            }
        });
        Record(method, path, 0, StatusCodes.Status200OK);
        await WriteJsonAsync(context, json).ConfigureAwait(false);
    }

    private (FakeRobotReply? Reply, string? Problem) ReadRobotMessage(JsonElement root, string bodyJson, bool group)
    {
        var robotCode = ReadString(root, "robotCode");
        if (!string.Equals(robotCode, RobotCode, StringComparison.Ordinal))
        {
            return (null, "robotCode: no such robot (" + (robotCode ?? "missing") + ")");
        }

        string? conversationId = null;
        IReadOnlyList<string> users = [];
        if (group)
        {
            conversationId = ReadString(root, "openConversationId");
            if (conversationId is null)
            {
                return (null, "openConversationId is required");
            }
        }
        else
        {
            users = ReadStringArray(root, "userIds");
            if (users.Count == 0)
            {
                return (null, "userIds is required");
            }
        }

        var msgKey = ReadString(root, "msgKey");
        var msgParam = ReadString(root, "msgParam");
        if (msgKey is null || msgParam is null)
        {
            return (null, "msgKey and msgParam (a JSON string) are required");
        }

        JsonDocument param;
        try
        {
            param = JsonDocument.Parse(msgParam);
        }
        catch (JsonException)
        {
            return (null, "msgParam is not a JSON document");
        }

        using (param)
        {
            var p = param.RootElement;
            if (p.ValueKind != JsonValueKind.Object)
            {
                return (null, "msgParam is not a JSON object");
            }

            var reply = new FakeRobotReply
            {
                Route = group ? FakeRobotReplyRoute.GroupMessage : FakeRobotReplyRoute.OneToOneMessage,
                Kind = DingRobotReplyKind.Text,
                ConversationId = conversationId,
                UserIds = users,
                RobotCode = robotCode,
                MsgKey = msgKey,
                BodyJson = bodyJson,
            };
            switch (msgKey)
            {
                case "sampleText":
                    return ReadString(p, "content") is { } content ? (reply with { Text = content }, null) : (null, "msgParam.content is required");
                case "sampleMarkdown":
                    return ReadString(p, "title") is { } title && ReadString(p, "text") is { } text
                        ? (reply with { Kind = DingRobotReplyKind.Markdown, Title = title, Text = text }, null)
                        : (null, "msgParam.title and msgParam.text are required");
                case "sampleActionCard":
                    return ReadString(p, "title") is { } cardTitle && ReadString(p, "text") is { } cardText
                        && ReadString(p, "singleTitle") is { } singleTitle && ReadString(p, "singleURL") is { } singleUrl
                        ? (reply with { Kind = DingRobotReplyKind.ActionCard, Title = cardTitle, Text = cardText, Buttons = [new DingRobotButton(singleTitle, singleUrl)] }, null)
                        : (null, "msgParam.title, text, singleTitle and singleURL are required");
                case "sampleActionCard2" or "sampleActionCard3" or "sampleActionCard4" or "sampleActionCard5":
                    {
                        var count = msgKey[^1] - '0';
                        var buttons = new List<DingRobotButton>();
                        for (var i = 1; i <= count; i++)
                        {
                            var n = i.ToString(CultureInfo.InvariantCulture);
                            if (ReadString(p, "actionTitle" + n) is not { } buttonTitle || ReadString(p, "actionURL" + n) is not { } buttonUrl)
                            {
                                return (null, "msgParam.actionTitle" + n + " and actionURL" + n + " are required");
                            }

                            buttons.Add(new DingRobotButton(buttonTitle, buttonUrl));
                        }

                        return ReadString(p, "title") is { } title2 && ReadString(p, "text") is { } text2
                            ? (reply with { Kind = DingRobotReplyKind.ActionCard, Title = title2, Text = text2, Buttons = buttons }, null)
                            : (null, "msgParam.title and msgParam.text are required");
                    }

                default:
                    return (null, "msgKey " + msgKey + " is not one the fake knows (sampleText, sampleMarkdown, sampleActionCard, sampleActionCard2…5)");
            }
        }
    }

    private (FakeRobotReply? Reply, string? Problem) ReadInteractiveCard(JsonElement root, string bodyJson)
    {
        var robotCode = ReadString(root, "robotCode");
        if (!string.Equals(robotCode, RobotCode, StringComparison.Ordinal))
        {
            return (null, "robotCode: no such robot (" + (robotCode ?? "missing") + ")");
        }

        var templateId = ReadString(root, "cardTemplateId");
        var bizId = ReadString(root, "cardBizId");
        var cardData = ReadString(root, "cardData");
        if (templateId is null || bizId is null || cardData is null)
        {
            return (null, "cardTemplateId, cardBizId and cardData are required");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var data = JsonDocument.Parse(cardData);
            if (data.RootElement.ValueKind != JsonValueKind.Object || !data.RootElement.TryGetProperty("cardParamMap", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                return (null, "cardData must be a JSON string of {\"cardParamMap\":{…}}");
            }

            foreach (var property in map.EnumerateObject())
            {
                parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        catch (JsonException)
        {
            return (null, "cardData is not a JSON document");
        }

        var conversationId = ReadString(root, "openConversationId");
        IReadOnlyList<string> users = [];
        if (ReadString(root, "singleChatReceiver") is { } receiver)
        {
            try
            {
                using var single = JsonDocument.Parse(receiver);
                if (single.RootElement.ValueKind == JsonValueKind.Object && ReadString(single.RootElement, "userId") is { } userId)
                {
                    users = [userId];
                }
            }
            catch (JsonException)
            {
                // Answered below.
            }

            if (users.Count == 0)
            {
                return (null, "singleChatReceiver must be a JSON string of {\"userId\":…}");
            }
        }

        if ((conversationId is null) == (users.Count == 0))
        {
            return (null, "exactly one of openConversationId (group) and singleChatReceiver (one-to-one) is required");
        }

        return (new FakeRobotReply
        {
            Route = FakeRobotReplyRoute.InteractiveCard,
            Kind = DingRobotReplyKind.InteractiveCard,
            ConversationId = conversationId,
            UserIds = users,
            RobotCode = robotCode,
            CardTemplateId = templateId,
            CardBizId = bizId,
            CardParams = parameters,
            BodyJson = bodyJson,
        }, null);
    }

    private async Task WriteApiErrorAsync(HttpContext context, string method, string path, int status, string code, string message)
    {
        Record(method, path, null, status);
        var json = Json(writer =>
        {
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteString("requestid", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        });
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=utf-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static IReadOnlyList<string> ReadStringArray(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return array.EnumerateArray().Where(static v => v.ValueKind == JsonValueKind.String).Select(static v => v.GetString()!).ToArray();
    }
}

/// <summary>A session webhook the fake DingTalk handed out (<see cref="FakeDingTalkServer.CreateSessionWebhook"/>).</summary>
/// <param name="Url">The URL to put in a robot message's <c>sessionWebhook</c>.</param>
/// <param name="ExpiresAt">When it stops being accepted (put <c>ToUnixTimeMilliseconds()</c> in <c>sessionWebhookExpiredTime</c>).</param>
/// <param name="ConversationId">The conversation replies through it go to.</param>
public sealed record FakeSessionWebhook(Uri Url, DateTimeOffset ExpiresAt, string ConversationId);

/// <summary>How a robot reply reached the fake DingTalk.</summary>
public enum FakeRobotReplyRoute
{
    /// <summary>Posted to a session webhook.</summary>
    SessionWebhook = 0,

    /// <summary>The robot's group message API (<c>/v1.0/robot/groupMessages/send</c>).</summary>
    GroupMessage = 1,

    /// <summary>The robot's one-to-one message API (<c>/v1.0/robot/oToMessages/batchSend</c>).</summary>
    OneToOneMessage = 2,

    /// <summary>The interactive card API (<c>/v1.0/im/v1.0/robot/interactiveCards/send</c>).</summary>
    InteractiveCard = 3,
}

/// <summary>A robot reply the fake DingTalk accepted, decoded for assertions.</summary>
public sealed record FakeRobotReply
{
    /// <summary>How it arrived.</summary>
    public required FakeRobotReplyRoute Route { get; init; }

    /// <summary>What kind of reply it is.</summary>
    public required DingRobotReplyKind Kind { get; init; }

    /// <summary>The group (the session's conversation, or <c>openConversationId</c>); <see langword="null"/> for one-to-one API sends.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The receivers of a one-to-one API send (<c>userIds</c>, or <c>singleChatReceiver</c>'s <c>userId</c>); empty otherwise.</summary>
    public IReadOnlyList<string> UserIds { get; init; } = [];

    /// <summary>The <c>robotCode</c> of an API send; <see langword="null"/> for a session webhook.</summary>
    public string? RobotCode { get; init; }

    /// <summary>The <c>msgKey</c> of a robot message API send (e.g. <c>sampleActionCard2</c>).</summary>
    public string? MsgKey { get; init; }

    /// <summary>The title of a markdown reply or action card.</summary>
    public string? Title { get; init; }

    /// <summary>The text of a text reply, or the markdown of a markdown reply or action card.</summary>
    public string? Text { get; init; }

    /// <summary>The buttons of an action card.</summary>
    public IReadOnlyList<DingRobotButton> Buttons { get; init; } = [];

    /// <summary>The users @-mentioned (<c>at.atUserIds</c>; session webhooks only).</summary>
    public IReadOnlyList<string> AtUserIds { get; init; } = [];

    /// <summary>Whether everyone was @-mentioned (<c>at.isAtAll</c>).</summary>
    public bool AtAll { get; init; }

    /// <summary>The card template of an interactive card.</summary>
    public string? CardTemplateId { get; init; }

    /// <summary>The <c>cardBizId</c> of an interactive card.</summary>
    public string? CardBizId { get; init; }

    /// <summary>The <c>cardParamMap</c> of an interactive card.</summary>
    public IReadOnlyDictionary<string, string> CardParams { get; init; } = new Dictionary<string, string>(0);

    /// <summary>The request body as received.</summary>
    public required string BodyJson { get; init; }
}
