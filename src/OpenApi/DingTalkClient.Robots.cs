using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DingGen;

public sealed partial class DingTalkClient
{
    /// <summary>The path of the robot's group message API (<c>api.dingtalk.com</c>).</summary>
    public const string RobotGroupMessagesPath = "/v1.0/robot/groupMessages/send";

    /// <summary>The path of the robot's one-to-one message API (<c>api.dingtalk.com</c>).</summary>
    public const string RobotOneToOneMessagesPath = "/v1.0/robot/oToMessages/batchSend";

    /// <summary>The path of the robot's interactive card API (<c>api.dingtalk.com</c>).</summary>
    public const string RobotInteractiveCardsPath = "/v1.0/im/v1.0/robot/interactiveCards/send";

    /// <summary>The header the <c>api.dingtalk.com</c> APIs read the access token from.</summary>
    internal const string AccessTokenHeader = "x-acs-dingtalk-access-token";

    /// <summary>
    /// Sends <paramref name="reply"/> (text, markdown or an action card) from robot <paramref name="robotCode"/> into the group
    /// <paramref name="openConversationId"/> (<c>POST /v1.0/robot/groupMessages/send</c>): <c>msgKey</c> <c>sampleText</c>,
    /// <c>sampleMarkdown</c>, <c>sampleActionCard</c> (one button) or <c>sampleActionCard2</c>…<c>sampleActionCard5</c> (two to five
    /// buttons), with <c>msgParam</c> as a JSON string. The API carries no @-mentions.
    /// </summary>
    /// <param name="robotCode">The robot (for an internal app's robot, its AppKey; a message's <c>robotCode</c>).</param>
    /// <param name="openConversationId">The group (a group message's <c>conversationId</c>).</param>
    /// <param name="reply">The reply; not an interactive card (see <see cref="SendInteractiveCardToGroupAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>DingTalk's <c>processQueryKey</c> of the send (empty when it sent none).</returns>
    /// <exception cref="ArgumentException">An interactive card, or an action card of more than five buttons.</exception>
    /// <exception cref="DingTalkApiException">DingTalk refused the message (e.g. unknown robot, missing permission, robot not in the group).</exception>
    public async Task<string> SendRobotGroupMessageAsync(string robotCode, string openConversationId, DingRobotReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(robotCode);
        ArgumentException.ThrowIfNullOrEmpty(openConversationId);
        ArgumentNullException.ThrowIfNull(reply);
        var (msgKey, msgParam) = DingRobotReplyJson.WriteApiMessage(reply);
        var body = DingRobotReplyJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("robotCode", robotCode);
            writer.WriteString("openConversationId", openConversationId);
            writer.WriteString("msgKey", msgKey);
            writer.WriteString("msgParam", msgParam);
            writer.WriteEndObject();
        });
        using var document = await CallApiAsync(RobotGroupMessagesPath, body, cancellationToken).ConfigureAwait(false);
        return ReadProcessQueryKey(document.RootElement);
    }

    /// <summary>
    /// Sends <paramref name="reply"/> (text, markdown or an action card) from robot <paramref name="robotCode"/> to each of
    /// <paramref name="userIds"/> in their one-to-one chat with the robot (<c>POST /v1.0/robot/oToMessages/batchSend</c>), with the
    /// same <c>msgKey</c>/<c>msgParam</c> as <see cref="SendRobotGroupMessageAsync"/>.
    /// </summary>
    /// <param name="robotCode">The robot.</param>
    /// <param name="userIds">The receivers' user ids in the organisation (a message's <c>senderStaffId</c>); at least one.</param>
    /// <param name="reply">The reply; not an interactive card (see <see cref="SendInteractiveCardToUserAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The <c>processQueryKey</c> and the user ids DingTalk did not send to (invalid, or flow-controlled).</returns>
    /// <exception cref="ArgumentException">No user, an interactive card, or an action card of more than five buttons.</exception>
    /// <exception cref="DingTalkApiException">DingTalk refused the message.</exception>
    public async Task<DingRobotOneToOneSendResult> SendRobotOneToOneMessageAsync(string robotCode, IEnumerable<string> userIds, DingRobotReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(robotCode);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(reply);
        var users = userIds.Where(static u => !string.IsNullOrEmpty(u)).Distinct(StringComparer.Ordinal).ToArray();
        if (users.Length == 0)
        {
            throw new ArgumentException("At least one user id is needed.", nameof(userIds));
        }

        var (msgKey, msgParam) = DingRobotReplyJson.WriteApiMessage(reply);
        var body = DingRobotReplyJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("robotCode", robotCode);
            writer.WriteStartArray("userIds");
            foreach (var user in users)
            {
                writer.WriteStringValue(user);
            }

            writer.WriteEndArray();
            writer.WriteString("msgKey", msgKey);
            writer.WriteString("msgParam", msgParam);
            writer.WriteEndObject();
        });
        using var document = await CallApiAsync(RobotOneToOneMessagesPath, body, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        return new DingRobotOneToOneSendResult(ReadProcessQueryKey(root), ReadStrings(root, "invalidStaffIdList"), ReadStrings(root, "flowControlledStaffIdList"));
    }

    /// <summary>
    /// Sends the interactive card <paramref name="card"/> (<see cref="DingRobotReply.FromInteractiveCard"/>) from robot
    /// <paramref name="robotCode"/> into the group <paramref name="openConversationId"/>
    /// (<c>POST /v1.0/im/v1.0/robot/interactiveCards/send</c>: <c>cardTemplateId</c>, <c>cardBizId</c>, <c>cardData</c> as the JSON
    /// string <c>{"cardParamMap":{…}}</c>).
    /// </summary>
    /// <returns>DingTalk's <c>processQueryKey</c> of the send (empty when it sent none).</returns>
    /// <exception cref="ArgumentException"><paramref name="card"/> is not an interactive card.</exception>
    /// <exception cref="DingTalkApiException">DingTalk refused the card (e.g. unknown template).</exception>
    public Task<string> SendInteractiveCardToGroupAsync(string robotCode, string openConversationId, DingRobotReply card, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(openConversationId);
        return SendInteractiveCardAsync(robotCode, card, writer => writer.WriteString("openConversationId", openConversationId), cancellationToken);
    }

    /// <summary>
    /// Sends the interactive card <paramref name="card"/> from robot <paramref name="robotCode"/> to user <paramref name="userId"/> in
    /// their one-to-one chat with the robot (the same API, with <c>singleChatReceiver</c> = the JSON string <c>{"userId":…}</c>).
    /// </summary>
    /// <returns>DingTalk's <c>processQueryKey</c> of the send (empty when it sent none).</returns>
    /// <exception cref="ArgumentException"><paramref name="card"/> is not an interactive card.</exception>
    /// <exception cref="DingTalkApiException">DingTalk refused the card.</exception>
    public Task<string> SendInteractiveCardToUserAsync(string robotCode, string userId, DingRobotReply card, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var receiver = System.Text.Encoding.UTF8.GetString(DingRobotReplyJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("userId", userId);
            writer.WriteEndObject();
        }));
        return SendInteractiveCardAsync(robotCode, card, writer => writer.WriteString("singleChatReceiver", receiver), cancellationToken);
    }

    private async Task<string> SendInteractiveCardAsync(string robotCode, DingRobotReply card, Action<Utf8JsonWriter> writeReceiver, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(robotCode);
        ArgumentNullException.ThrowIfNull(card);
        if (card.Kind != DingRobotReplyKind.InteractiveCard)
        {
            throw new ArgumentException($"An interactive card is expected (DingRobotReply.FromInteractiveCard); this is a {card.Kind} reply, sent with SendRobotGroupMessageAsync or SendRobotOneToOneMessageAsync.", nameof(card));
        }

        var body = DingRobotReplyJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("cardTemplateId", card.CardTemplateId);
            writer.WriteString("robotCode", robotCode);
            writer.WriteString("cardBizId", card.CardBizId);
            writer.WriteString("cardData", DingRobotReplyJson.WriteCardData(card.CardParams));
            writeReceiver(writer);
            writer.WriteEndObject();
        });
        using var document = await CallApiAsync(RobotInteractiveCardsPath, body, cancellationToken).ConfigureAwait(false);
        return ReadProcessQueryKey(document.RootElement);
    }

    /// <summary>
    /// POSTs <paramref name="content"/> to an <c>api.dingtalk.com</c> API with the access token in <c>x-acs-dingtalk-access-token</c>,
    /// under the same deadline and retries as the other calls; refreshes the token and retries once when it is rejected (HTTP 401 or
    /// <c>code</c> <c>InvalidAuthentication</c>). An error answer (HTTP status not 2xx with <c>{"code","message"}</c>) throws
    /// <see cref="DingTalkApiException"/> with the HTTP status as <see cref="DingTalkApiException.ErrorCode"/> and DingTalk's
    /// <c>code</c> as <see cref="DingTalkApiException.SubCode"/>.
    /// </summary>
    private async Task<JsonDocument> CallApiAsync(string api, byte[] content, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.CallTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await CallApiCoreAsync(api, content, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeadlinePassed(api, ex);
        }
    }

    private async Task<JsonDocument> CallApiCoreAsync(string api, byte[] content, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var uri = BuildUri(ApiBaseAddress, api, string.Empty);
        for (var attempt = 0; ; attempt++)
        {
            var token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            var (document, status) = await SendWithRetriesAsync(HttpMethod.Post, uri, api, content, token, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if ((int)status is >= 200 and < 300 && root.ValueKind == JsonValueKind.Object)
            {
                DingOpenApiLog.ApiCallSucceeded(_logger, api, _options.AppKey, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                return document;
            }

            var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
            document.Dispose();
            if ((status == HttpStatusCode.Unauthorized || string.Equals(code, "InvalidAuthentication", StringComparison.OrdinalIgnoreCase)) && attempt == 0)
            {
                DingOpenApiLog.AccessTokenRejected(_logger, api, _options.AppKey, (int)status);
                InvalidateToken(token);
                continue;
            }

            var errorMessage = code is null ? message : code + ": " + message;
            DingOpenApiLog.ApiCallFailed(_logger, api, _options.AppKey, (int)status, errorMessage);
            throw new DingTalkApiException((int)status, errorMessage, api, RobotApiHint(status, code))
            {
                SubCode = code,
                SubMessage = message.Length == 0 ? null : message,
            };
        }
    }

    private static string RobotApiHint(HttpStatusCode status, string? code) => status switch
    {
        HttpStatusCode.Unauthorized => "The access token was rejected twice: AppKey/AppSecret may belong to another app.",
        HttpStatusCode.Forbidden => "The app lacks the permission for this API: grant the robot message permission (企业内机器人发送消息) to the app in the developer console.",
        _ => "Check the robotCode (an internal app's robot has the app's AppKey), that the robot is in the group or the user belongs to the organisation, and the card template id; DingTalk's code was " + (code ?? "none") + " (HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture) + ").",
    };

    private static string ReadProcessQueryKey(JsonElement root)
    {
        if (root.TryGetProperty("processQueryKey", out var key) && key.ValueKind == JsonValueKind.String)
        {
            return key.GetString() ?? string.Empty;
        }

        return root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("processQueryKey", out key) && key.ValueKind == JsonValueKind.String
            ? key.GetString() ?? string.Empty
            : string.Empty;
    }

    private static IReadOnlyList<string> ReadStrings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text)
            {
                list.Add(text);
            }
        }

        return list;
    }
}

/// <summary>The answer of <see cref="DingTalkClient.SendRobotOneToOneMessageAsync"/>.</summary>
/// <param name="ProcessQueryKey">DingTalk's key of the send (to query its read status); empty when it sent none.</param>
/// <param name="InvalidStaffIds">User ids DingTalk did not send to because they are not valid users of the organisation (<c>invalidStaffIdList</c>).</param>
/// <param name="FlowControlledStaffIds">User ids DingTalk did not send to because of its rate limits (<c>flowControlledStaffIdList</c>).</param>
public sealed record DingRobotOneToOneSendResult(string ProcessQueryKey, IReadOnlyList<string> InvalidStaffIds, IReadOnlyList<string> FlowControlledStaffIds);
