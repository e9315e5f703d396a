using DingGen.Events;

namespace DingGen;

/// <summary>
/// The app's robot send API as the core <see cref="IDingRobotReplySender"/> needs it: the reply to a message whose session webhook
/// can no longer be used, and every interactive card. <c>DingGen.OpenApi</c> implements it over <c>DingTalkClient</c> and registers
/// it with <c>AddDingTalkClient()</c>; the core knows nothing of the server API.
/// </summary>
internal interface IDingRobotApi
{
    /// <summary>
    /// Sends <paramref name="reply"/> into the conversation of <paramref name="message"/>: to the group
    /// (<see cref="DingRobotMessage.ConversationId"/>) when <see cref="DingRobotMessage.IsGroup"/>, else to the sender
    /// (<see cref="DingRobotMessage.SenderStaffId"/>); the robot is <see cref="DingRobotMessage.RobotCode"/>, else the app's AppKey.
    /// </summary>
    /// <exception cref="DingRobotReplyException">The reply cannot be sent that way, or DingTalk refused it.</exception>
    Task SendAsync(DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken);
}
