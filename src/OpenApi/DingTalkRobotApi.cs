using DingGen.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The robot send API behind the core <see cref="IDingRobotReplySender"/>, over the app's <see cref="DingTalkClient"/>; registered by
/// <see cref="DingTalkClientServiceCollectionExtensions.AddDingTalkClient"/>.
/// </summary>
/// <remarks>
/// The client is the app's whose AppKey is the message's <c>robotCode</c> (an internal app's robot code is its AppKey), else the
/// default app's, else the only app's. A group message (<c>conversationType</c> 2) is answered in the group
/// (<c>openConversationId</c> = <c>conversationId</c>), a one-to-one message to its sender (<c>senderStaffId</c>).
/// </remarks>
internal sealed class DingTalkRobotApi : IDingRobotApi
{
    private readonly IServiceProvider _services;
    private readonly string[] _apps;

    public DingTalkRobotApi(IServiceProvider services, IEnumerable<DingTalkClientAppRegistration> apps)
    {
        _services = services;
        _apps = apps.Select(static a => a.AppName).Distinct(StringComparer.Ordinal).ToArray();
    }

    public async Task SendAsync(DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        var what = $"The {Describe(reply)} reply to robot message {message.MsgId}";
        var client = ResolveClient(message.RobotCode, what);
        var robotCode = string.IsNullOrEmpty(message.RobotCode) ? client.AppKey : message.RobotCode;
        try
        {
            if (message.IsGroup)
            {
                if (string.IsNullOrEmpty(message.ConversationId))
                {
                    throw new DingRobotReplyException($"{what} cannot go through the robot send API: the group message has no conversationId.");
                }

                if (reply.Kind == DingRobotReplyKind.InteractiveCard)
                {
                    await client.SendInteractiveCardToGroupAsync(robotCode, message.ConversationId, reply, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await client.SendRobotGroupMessageAsync(robotCode, message.ConversationId, reply, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (string.IsNullOrEmpty(message.SenderStaffId))
            {
                throw new DingRobotReplyException($"{what} cannot go through the robot send API: the sender has no senderStaffId (a user outside the organisation), and the API reaches users by it.");
            }

            if (reply.Kind == DingRobotReplyKind.InteractiveCard)
            {
                await client.SendInteractiveCardToUserAsync(robotCode, message.SenderStaffId, reply, cancellationToken).ConfigureAwait(false);
                return;
            }

            var result = await client.SendRobotOneToOneMessageAsync(robotCode, [message.SenderStaffId], reply, cancellationToken).ConfigureAwait(false);
            if (result.InvalidStaffIds.Contains(message.SenderStaffId, StringComparer.Ordinal))
            {
                throw new DingRobotReplyException($"{what} was not delivered: DingTalk listed the sender {message.SenderStaffId} as an invalid user (invalidStaffIdList).");
            }

            if (result.FlowControlledStaffIds.Contains(message.SenderStaffId, StringComparer.Ordinal))
            {
                throw new DingRobotReplyException($"{what} was not delivered: DingTalk's rate limit held it back for {message.SenderStaffId} (flowControlledStaffIdList); send it again later.");
            }
        }
        catch (Exception ex) when (ex is DingTalkApiException or HttpRequestException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            throw new DingRobotReplyException($"{what} was not sent through the robot send API: {ex.Message}", ex);
        }
    }

    private DingTalkClient ResolveClient(string? robotCode, string what)
    {
        string? app = null;
        if (!string.IsNullOrEmpty(robotCode))
        {
            var options = _services.GetRequiredService<IOptionsMonitor<DingTalkClientOptions>>();
            app = _apps.FirstOrDefault(name => string.Equals(options.Get(name).AppKey, robotCode, StringComparison.Ordinal));
        }

        app ??= _apps.Contains(DingGenServiceCollectionExtensions.DefaultAppName, StringComparer.Ordinal)
            ? DingGenServiceCollectionExtensions.DefaultAppName
            : _apps.Length == 1 ? _apps[0] : null;
        if (app is null)
        {
            throw new DingRobotReplyException($"{what} cannot go through the robot send API: no app's AppKey is the message's robotCode and there is no default app; call AddDingTalkClient() on the AddDingGen(...) builder of the app the robot belongs to.");
        }

        try
        {
            return _services.GetRequiredKeyedService<DingTalkClient>(app);
        }
        catch (InvalidOperationException ex)
        {
            throw new DingRobotReplyException($"{what} cannot go through the robot send API: {ex.Message}", ex);
        }
    }

    private static string Describe(DingRobotReply reply) => reply.Kind switch
    {
        DingRobotReplyKind.Text => "text",
        DingRobotReplyKind.Markdown => "markdown",
        DingRobotReplyKind.ActionCard => "action card",
        _ => "interactive card",
    };
}
