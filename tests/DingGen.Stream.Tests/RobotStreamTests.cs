using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DingGen.Stream.Tests;

/// <summary>Robot messages and card callbacks over stream mode: subscriptions, CALLBACK frames to the handlers, responses, reconnects.</summary>
public sealed class RobotStreamTests
{
    private const string RobotTopic = "/v1.0/im/bot/messages/get";
    private const string CardTopic = "/v1.0/card/instances/callback";
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Theory(Timeout = 30_000)]
    [InlineData(true, false, new[] { "EVENT:*", "CALLBACK:" + RobotTopic })]
    [InlineData(false, true, new[] { "EVENT:*", "CALLBACK:" + CardTopic })]
    [InlineData(true, true, new[] { "EVENT:*", "CALLBACK:" + RobotTopic, "CALLBACK:" + CardTopic })]
    [InlineData(false, false, new[] { "EVENT:*" })]
    public async Task The_ticket_subscribes_to_exactly_the_callback_topics_the_handlers_need(bool robots, bool cards, string[] expected)
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var interactions = new TestInteractionDispatcher(robots, cards);
        await using var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), services: s => s.AddSingleton<IDingInteractionDispatcher>(interactions));
        await gateway.WaitForConnectionsAsync(1, Wait);

        Assert.Equal(expected, Assert.Single(gateway.TicketRequests).Subscriptions);
        Assert.Equal(robots || cards, host.HasLog("StreamCallbackTopics"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_robot_message_frame_runs_the_handler_sends_its_reply_and_is_acknowledged_with_a_null_response()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, sender) = await StartAsync(gateway);
        await using var _ = host;
        interactions.RobotHandler = static context => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText("pi-42 is running"));
        using var deliveries = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.deliveries");

        var messageId = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-s1"));
        var ack = await gateway.WaitForAckAsync(messageId, Wait);

        Assert.Equal((200, """{"response":null}"""), (ack.Code, ack.Data));
        var context = Assert.Single(interactions.RobotRuns);
        Assert.Equal("msg-s1", context.Message.MsgId);
        Assert.Equal(DingDeliveryChannel.Stream, context.Channel);
        Assert.True(context.CancellationToken.CanBeCanceled);
        var sent = Assert.Single(sender.Sent);
        Assert.Equal("pi-42 is running", sent.Reply.Text);
        Assert.Equal("msg-s1", sent.Message.MsgId);
        var measurement = Assert.Single(deliveries.GetMeasurementSnapshot());
        Assert.Equal(("stream", "robot_message", "handled"), ((string?)measurement.Tags["dinggen.channel"], (string?)measurement.Tags["dinggen.event_type"], (string?)measurement.Tags["dinggen.outcome"]));
        Assert.DoesNotContain(InteractionSamples.TextMarker, host.AllLogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_card_callback_frame_is_acknowledged_with_the_merged_card_update()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, _) = await StartAsync(gateway);
        await using var __ = host;
        interactions.CardHandler = static context => ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate()
            .Set("status", "reminded")
            .SetPrivate(context.Callback.UserId!, "note", "sent to " + context.Callback.Params["approval"]));

        var messageId = await gateway.SendCallbackAsync(CardTopic, InteractionSamples.CardCallback("card-s1"));
        var ack = await gateway.WaitForAckAsync(messageId, Wait);

        Assert.Equal(200, ack.Code);
        Assert.Equal("""{"response":{"cardData":{"cardParamMap":{"status":"reminded"}},"privateData":{"manager7":{"cardParamMap":{"note":"sent to pi-42"}}}}}""", ack.Data);
        var context = Assert.Single(interactions.CardRuns);
        Assert.Equal("card-s1", context.Callback.OutTrackId);
        Assert.Equal(DingDeliveryChannel.Stream, context.Channel);
    }

    [Fact(Timeout = 30_000)]
    public async Task Malformed_callback_data_is_acknowledged_400_without_a_handler_call_and_the_connection_keeps_serving()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, _) = await StartAsync(gateway);
        await using var __ = host;

        var notJson = await gateway.SendCallbackAsync(RobotTopic, "not json at all");
        var noId = await gateway.SendCallbackAsync(RobotTopic, """{"msgtype":"text","text":{"content":"hi"}}""");
        var noTrackId = await gateway.SendCallbackAsync(CardTopic, """{"userId":"u1"}""");
        var good = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-good"));

        Assert.Equal(400, (await gateway.WaitForAckAsync(notJson, Wait)).Code);
        Assert.Equal(400, (await gateway.WaitForAckAsync(noId, Wait)).Code);
        Assert.Equal(400, (await gateway.WaitForAckAsync(noTrackId, Wait)).Code);
        Assert.Equal(200, (await gateway.WaitForAckAsync(good, Wait)).Code);
        Assert.Equal("msg-good", Assert.Single(interactions.RobotRuns).Message.MsgId);
        Assert.Empty(interactions.CardRuns);
        Assert.Single(gateway.Connections);
        Assert.Contains(host.Logs.GetSnapshot(), static r => r.Id.Name == "StreamMalformedFrame" && r.Message.Contains("msgId and msgtype", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failing_handler_is_acknowledged_with_code_500_and_other_callback_topics_keep_the_null_response()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, _) = await StartAsync(gateway);
        await using var __ = host;
        interactions.CardHandler = static _ => throw new InvalidOperationException("reminders down");

        var failed = await gateway.SendCallbackAsync(CardTopic, InteractionSamples.CardCallback());
        var plugin = await gateway.SendCallbackAsync("/v1.0/graph/api/invoke", """{"x":1}""");

        var failedAck = await gateway.WaitForAckAsync(failed, Wait);
        var pluginAck = await gateway.WaitForAckAsync(plugin, Wait);
        Assert.Equal((500, """{"response":null}"""), (failedAck.Code, failedAck.Data));
        Assert.Equal((200, """{"response":null}"""), (pluginAck.Code, pluginAck.Data));
        Assert.Single(interactions.CardRuns);
        Assert.Contains(host.Logs.GetSnapshot(), static r => r.Id.Name == "HandlerFailed" && r.Message.Contains(TestInteractionDispatcher.CardHandlerName, StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_robot_message_in_flight_during_a_disconnect_rotation_is_handled_once_and_acknowledged_on_its_connection()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, sender) = await StartAsync(gateway);
        await using var _ = host;
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        interactions.RobotHandler = async context =>
        {
            if (context.Message.MsgId == "msg-rotating")
            {
                inHandler.TrySetResult();
                await release.Task;
            }

            return DingRobotReply.FromText("answer to " + context.Message.MsgId);
        };

        var inFlight = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-rotating"));
        await inHandler.Task.WaitAsync(Wait);
        await gateway.SendDisconnectAsync();
        await gateway.WaitForConnectionsAsync(2, Wait);
        var after = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-after-rotation"));
        var afterAck = await gateway.WaitForAckAsync(after, Wait);
        release.SetResult();
        var inFlightAck = await gateway.WaitForAckAsync(inFlight, Wait);
        await gateway.WaitForConnectionClosedAsync(1, Wait);

        Assert.Equal((200, 1), (inFlightAck.Code, inFlightAck.ConnectionId));
        Assert.Equal((200, 2), (afterAck.Code, afterAck.ConnectionId));
        Assert.True(inFlightAck.Sequence < gateway.Connections[0].ClosedAt, "acknowledged on the old connection before it closed");
        Assert.Equal(["msg-rotating", "msg-after-rotation"], interactions.RobotRuns.Select(static r => r.Message.MsgId).ToArray());
        Assert.Equal(
            ["answer to msg-after-rotation", "answer to msg-rotating"],
            sender.Sent.Select(static s => s.Reply.Text).ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_robot_message_in_flight_when_the_connection_drops_is_handled_exactly_once_even_when_it_arrives_again()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, _) = await StartAsync(gateway);
        await using var __ = host;
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        interactions.RobotHandler = async context =>
        {
            if (context.Message.MsgId == "msg-dropped")
            {
                inHandler.TrySetResult();
                await release.Task;
                finished.TrySetResult();
            }

            return null;
        };

        var message = InteractionSamples.RobotMessage("msg-dropped");
        var first = await gateway.SendCallbackAsync(RobotTopic, message);
        await inHandler.Task.WaitAsync(Wait);
        await gateway.DropConnectionsAsync();
        await gateway.WaitForConnectionsAsync(2, Wait);
        await gateway.WaitUntilAsync(static g => g.ConnectionsOpen == 1, Wait);

        // The handler finishes after its connection is gone: it is not abandoned.
        release.SetResult();
        await finished.Task.WaitAsync(Wait);

        // The same message arriving again on the new connection is acknowledged without running the handler twice.
        var again = await gateway.SendCallbackAsync(RobotTopic, message);
        var againAck = await gateway.WaitForAckAsync(again, Wait);
        var next = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-next"));
        var nextAck = await gateway.WaitForAckAsync(next, Wait);

        Assert.Equal((200, """{"response":null}""", 2), (againAck.Code, againAck.Data, againAck.ConnectionId));
        Assert.Equal((200, 2), (nextAck.Code, nextAck.ConnectionId));
        Assert.DoesNotContain(gateway.Acks, a => a.MessageId == first && a.ConnectionId == 2);
        Assert.Equal(["msg-dropped", "msg-next"], interactions.RobotRuns.Select(static r => r.Message.MsgId).ToArray());
        Assert.True(host.HasLog("StreamCallbackDuplicate"));
        Assert.True(host.HasLog("StreamConnectionLost"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_robot_message_still_waiting_for_a_worker_when_the_connection_drops_is_handled_after_all()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var (host, interactions, sender) = await StartAsync(gateway, static o => o.MaxConcurrentEvents = 1);
        await using var __ = host;
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        interactions.RobotHandler = async context =>
        {
            if (context.Message.MsgId == "msg-busy")
            {
                inHandler.TrySetResult();
                await release.Task;
            }

            return DingRobotReply.FromText("answer to " + context.Message.MsgId);
        };

        await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-busy"));
        await inHandler.Task.WaitAsync(Wait);
        var waiting = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-waiting"));

        // Frames are read in order: once the ping after it is answered, the message is queued for the (busy) worker.
        await gateway.WaitForAckAsync(await gateway.SendPingAsync(), Wait);
        await gateway.DropConnectionsAsync();
        await gateway.WaitForConnectionsAsync(2, Wait);
        release.SetResult();

        // Neither message is redelivered by DingTalk: both must run once, on the host's own initiative.
        var next = await gateway.SendCallbackAsync(RobotTopic, InteractionSamples.RobotMessage("msg-next"));
        await gateway.WaitForAckAsync(next, Wait);
        await sender.WaitForAsync(3, Wait);

        Assert.Equal(["msg-busy", "msg-next", "msg-waiting"], interactions.RobotRuns.Select(static r => r.Message.MsgId).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["answer to msg-busy", "answer to msg-next", "answer to msg-waiting"], sender.Sent.Select(static s => s.Reply.Text).Order(StringComparer.Ordinal).ToArray());
        Assert.DoesNotContain(gateway.Acks, a => a.MessageId == waiting && a.ConnectionId == 2);
    }

    private static async Task<(StreamHost Host, TestInteractionDispatcher Interactions, RecordingReplySender Sender)> StartAsync(FakeStreamGateway gateway, Action<DingStreamOptions>? configure = null)
    {
        var interactions = new TestInteractionDispatcher();
        var sender = new RecordingReplySender();
        var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), configure: configure, services: s =>
        {
            s.AddSingleton<IDingInteractionDispatcher>(interactions);
            s.AddSingleton<IDingRobotReplySender>(sender);
        });
        await gateway.WaitForConnectionsAsync(1, Wait);
        return (host, interactions, sender);
    }
}
