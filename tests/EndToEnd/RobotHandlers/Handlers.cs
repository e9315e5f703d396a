using DingGen;
using DingGen.Events;

namespace RobotHandlers;

public interface IApprovalLookup
{
    Task<string> StateOfAsync(string approvalId, CancellationToken cancellationToken);
}

internal sealed class HelpdeskBot(IApprovalLookup approvals)
{
    [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
    public async ValueTask<DingRobotReply?> OnText(DingRobotMessage message, CancellationToken cancellationToken)
    {
        if (message.TextContent is not { } text)
        {
            return null;
        }

        return DingRobotReply.FromText(await approvals.StateOfAsync(text, cancellationToken));
    }

    [DingCardCallback(ActionId = "remind")]
    public static DingCardUpdate OnRemind(DingCardCallback callback, DingCardCallbackContext context) =>
        new DingCardUpdate().Set("reminded", callback.UserId ?? "someone");

    // A card callback to a robot handler: the build must fail with DING009, and only with it.
    [DingRobotMessage]
    public static void OnCard(DingCardCallback callback)
    {
    }
}
