using DingGen.Events;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Stream.Tests;

/// <summary>
/// Plain <c>[DingRobotMessage]</c> and <c>[DingCardCallback]</c> handlers: the generator emits their dispatch in this assembly's
/// dispatcher, and <c>AddDingEventHandlers()</c> registers it as an <see cref="IDingInteractionDispatcher"/>.
/// </summary>
public sealed class HelpdeskStreamHandlers(StaffJournal journal)
{
    [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
    public DingRobotReply? OnText(DingRobotMessage message, DingRobotMessageContext context)
    {
        journal.Entries.Enqueue($"{context.Channel} robot {message.MsgId}");
        return DingRobotReply.FromText("echo " + message.TextContent!.Split(' ')[0]);
    }

    [DingCardCallback(ActionId = "remind")]
    public ValueTask<DingCardUpdate?> OnRemind(DingCardCallback callback, CancellationToken cancellationToken)
    {
        journal.Entries.Enqueue($"card {callback.OutTrackId}");
        return ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate().Set("status", "reminded").Set("approval", callback.Params["approval"]));
    }
}

public sealed class GeneratedRobotHandlerTests
{
    private static TimeSpan Wait => StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task Generated_robot_and_card_handlers_answer_stream_callbacks_through_their_filters()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var journal = new StaffJournal();
        var sender = new RecordingReplySender();
        await using var host = await StreamHost.StartAsync(gateway, dispatcher: null, services: s =>
        {
            s.AddSingleton(journal);
            s.AddSingleton<IDingRobotReplySender>(sender);
            s.AddDingEventHandlers();
        });
        await gateway.WaitForConnectionsAsync(1, Wait);

        var text = await gateway.SendCallbackAsync("/v1.0/im/bot/messages/get", InteractionSamples.RobotMessage("msg-gen"));
        var picture = await gateway.SendCallbackAsync("/v1.0/im/bot/messages/get", InteractionSamples.RobotMessage("msg-pic", msgType: "picture"));
        var remind = await gateway.SendCallbackAsync("/v1.0/card/instances/callback", InteractionSamples.CardCallback("card-gen", "remind"));
        var other = await gateway.SendCallbackAsync("/v1.0/card/instances/callback", InteractionSamples.CardCallback("card-other", "dismiss"));

        Assert.Equal((200, """{"response":null}"""), Pair(await gateway.WaitForAckAsync(text, Wait)));
        Assert.Equal((200, """{"response":null}"""), Pair(await gateway.WaitForAckAsync(picture, Wait)));
        Assert.Equal((200, """{"response":{"cardData":{"cardParamMap":{"approval":"pi-42","status":"reminded"}}}}"""), Pair(await gateway.WaitForAckAsync(remind, Wait)));
        Assert.Equal((200, """{"response":null}"""), Pair(await gateway.WaitForAckAsync(other, Wait)));
        // Stream workers run frames concurrently: the two handlers may have run in either order.
        Assert.Equal(["Stream robot msg-gen", "card card-gen"], journal.Entries.Order(StringComparer.Ordinal));
        Assert.Equal("echo status", Assert.Single(sender.Sent).Reply.Text);
        Assert.Equal(
            ["EVENT:*", "CALLBACK:/v1.0/im/bot/messages/get", "CALLBACK:/v1.0/card/instances/callback"],
            gateway.TicketRequests[0].Subscriptions);
    }

    private static (int Code, string? Data) Pair(FakeStreamAck ack) => (ack.Code, ack.Data);
}
