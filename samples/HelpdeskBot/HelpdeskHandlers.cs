using System.Globalization;
using DingGen;
using DingGen.Events;
using Microsoft.Extensions.Options;

namespace HelpdeskBot;

/// <summary>
/// The helpdesk robot. A user writes to it (one-to-one, or @-mentioning it in a group): <c>status &lt;approval id&gt;</c> is answered
/// with the approval's state as markdown and, while the approval waits for someone, an interactive card with a "remind approver"
/// button; anything else with the help text. Pressing the button calls <see cref="OnRemindAsync"/>, which messages the approvers the
/// approval waits for and marks the card reminded.
/// </summary>
/// <remarks>
/// The handlers are plain methods: the DingGen generator emits their dispatch (no reflection) for both channels, HTTP
/// (<c>MapDingRobot</c>, <c>MapDingCardCallback</c>) and stream mode. Neither channel redelivers a robot message, so every failure
/// here becomes an answer the user can read instead of an exception.
/// </remarks>
public sealed partial class HelpdeskHandlers(
    ApprovalDesk approvals,
    ReminderLog reminders,
    IDingRobotReplySender replies,
    IOptions<HelpdeskOptions> options,
    ILogger<HelpdeskHandlers> log)
{
    /// <summary>The action id of the card's "remind approver" button.</summary>
    public const string RemindAction = "remind";

    /// <summary>The card variables (and the button's callback parameter) of the status card.</summary>
    public const string ApprovalIdParam = "approvalId";

    public const string TitleParam = "title";
    public const string StateParam = "state";
    public const string RemindStatusParam = "remindStatus";
    public const string RemindedParam = "reminded";

    public const string HelpTitle = "Helpdesk";

    public const string HelpText = """
        **Helpdesk robot**

        - `status <approval id>`: the state of an approval, and a card to remind its approver
        - `help`: this text
        """;

    /// <summary>Every message to the robot: text, rich text, voice (its recognised words), and the rest (answered with the help).</summary>
    [DingRobotMessage]
    public async Task<DingRobotReply?> OnMessageAsync(DingRobotMessage message, DingRobotMessageContext context, CancellationToken cancellationToken)
    {
        var command = HelpdeskCommand.Parse(message.TextContent);
        LogMessage(message.MsgId, message.MsgType, context.Channel, command.GetType().Name);
        switch (command)
        {
            case HelpdeskCommand.Status status:
                return await StatusAsync(message, status.ApprovalId, cancellationToken);
            case HelpdeskCommand.StatusWithoutId:
                return DingRobotReply.FromText("Which approval? Write: status <approval id>");
            default:
                return DingRobotReply.FromMarkdown(HelpTitle, HelpText);
        }
    }

    /// <summary>"Remind approver" pressed on a status card.</summary>
    [DingCardCallback(ActionId = RemindAction)]
    public async Task<DingCardUpdate?> OnRemindAsync(DingCardCallback callback, CancellationToken cancellationToken)
    {
        var update = new DingCardUpdate();
        if (!callback.Params.TryGetValue(ApprovalIdParam, out var approvalId) || string.IsNullOrWhiteSpace(approvalId))
        {
            LogCardWithoutApproval(callback.OutTrackId);
            return update.Set(RemindStatusParam, "This card does not name an approval: ask again with `status <approval id>`.");
        }

        var lookup = await approvals.LookUpAsync(approvalId, cancellationToken);
        if (lookup is not ApprovalLookup.Found { Approval: var approval })
        {
            return update.Set(RemindStatusParam, "No reminder sent: " + Reason(lookup) + ".");
        }

        update.Set(StateParam, approval.Describe());
        if (!approval.CanRemind)
        {
            return update.Set(RemindStatusParam, $"Nothing to remind: the approval is {approval.Describe()}.");
        }

        if (!reminders.TryClaim(approval.Id, out var at))
        {
            return update.Set(RemindStatusParam, $"Already reminded at {Time(at)} (UTC+8); the next reminder is possible {ReminderLog.QuietPeriod.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes after that.");
        }

        var who = callback.UserId ?? "a colleague";
        var reminder = DingRobotReply.FromMarkdown(
            "Approval waiting for you",
            $"""
            **{approval.Title}** is waiting for your approval.

            {who} asked the helpdesk to remind you. Approval id: `{approval.Id}`
            """);
        try
        {
            foreach (var approver in approval.PendingApprovers)
            {
                // A one-to-one conversation of the robot with the approver: no session webhook, so the reply sender uses the
                // robot send API (one-to-one messages to the user id).
                await replies.SendAsync(OneToOneWith(approver, callback), reminder, cancellationToken);
            }
        }
        catch (DingRobotReplyException ex)
        {
            reminders.Release(approval.Id, at);
            LogReminderFailed(ex, approval.Id);
            return update.Set(RemindStatusParam, "The reminder could not be sent; try again in a minute.");
        }

        LogReminded(approval.Id, string.Join(",", approval.PendingApprovers), callback.UserId);
        update.Set(RemindedParam, "true")
            .Set(RemindStatusParam, $"Reminded {string.Join(", ", approval.PendingApprovers)} at {Time(at)} (UTC+8).");
        if (callback.UserId is { Length: > 0 } user)
        {
            update.SetPrivate(user, RemindStatusParam, $"You reminded {string.Join(", ", approval.PendingApprovers)} at {Time(at)} (UTC+8).");
        }

        return update;
    }

    private async Task<DingRobotReply> StatusAsync(DingRobotMessage message, string approvalId, CancellationToken cancellationToken)
    {
        var lookup = await approvals.LookUpAsync(approvalId, cancellationToken);
        if (lookup is not ApprovalLookup.Found { Approval: var approval })
        {
            return DingRobotReply.FromText($"I cannot tell you about approval {approvalId}: {Reason(lookup)}.");
        }

        var markdown = $"""
            **{approval.Title}**

            - state: {approval.Describe()}
            - started by: {approval.OriginatorUserId ?? "(unknown)"}
            - id: `{approval.Id}`
            """;
        if (approval.CanRemind)
        {
            // Interactive cards go through the robot send API (a session webhook cannot carry them). The card's id is unique per
            // message; its "remind approver" button calls OnRemindAsync with the approval id as a parameter.
            var card = DingRobotReply.FromInteractiveCard(options.Value.CardTemplateId, CardId(message), new Dictionary<string, string>
            {
                [TitleParam] = approval.Title,
                [StateParam] = approval.Describe(),
                [ApprovalIdParam] = approval.Id,
                [RemindStatusParam] = string.Empty,
            });
            try
            {
                await replies.SendAsync(message, card, cancellationToken);
            }
            catch (DingRobotReplyException ex)
            {
                LogCardFailed(ex, approval.Id);
                markdown += "\n\n(The reminder card could not be sent; ask again in a minute.)";
            }
        }

        return DingRobotReply.FromMarkdown($"Approval: {approval.Title}", markdown);
    }

    /// <summary>The card id of the status card answering <paramref name="message"/>: unique per message.</summary>
    public static string CardId(DingRobotMessage message) => "helpdesk-status-" + message.MsgId;

    private static DingRobotMessage OneToOneWith(string userId, DingCardCallback callback) => new()
    {
        MsgId = "reminder-" + callback.OutTrackId,
        MsgType = DingRobotMessageTypes.Text,
        ConversationType = "1",
        SenderStaffId = userId,
        SenderCorpId = callback.CorpId,
    };

    private static string Reason(ApprovalLookup lookup) => lookup switch
    {
        ApprovalLookup.NotFound notFound => "it was not found (" + notFound.Reason + ")",
        ApprovalLookup.Unavailable unavailable => unavailable.Reason,
        _ => "unknown",
    };

    private static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm", CultureInfo.InvariantCulture);

    [LoggerMessage(10, LogLevel.Information, "Robot message {MsgId} ({MsgType}, {Channel}): {Command}")]
    private partial void LogMessage(string msgId, string msgType, DingDeliveryChannel channel, string command);

    [LoggerMessage(11, LogLevel.Warning, "The status card of approval {ApprovalId} could not be sent")]
    private partial void LogCardFailed(Exception exception, string approvalId);

    [LoggerMessage(12, LogLevel.Warning, "Card {OutTrackId}: the remind action carries no approvalId parameter (check the card template's callback parameters)")]
    private partial void LogCardWithoutApproval(string outTrackId);

    [LoggerMessage(13, LogLevel.Information, "Approval {ApprovalId}: reminded {Approvers} (asked by {UserId})")]
    private partial void LogReminded(string approvalId, string approvers, string? userId);

    [LoggerMessage(14, LogLevel.Warning, "The reminder of approval {ApprovalId} could not be sent")]
    private partial void LogReminderFailed(Exception exception, string approvalId);
}
