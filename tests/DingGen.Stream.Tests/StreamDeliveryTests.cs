using System.Net.WebSockets;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen.Stream.Tests;

public sealed class StreamDeliveryTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task Events_are_dispatched_with_stream_context_and_acknowledged_success()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var dispatcher = new StreamTestDispatcher("bpms_instance_change", "user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);

        const string data = """{"processInstanceId":"pi-1","type":"finish","result":"agree"}""";
        var first = await gateway.SendEventAsync("bpms_instance_change", data, eventId: "evt-001", corpId: "ding-corp-1");
        var second = await gateway.SendEventAsync("user_add_org", """{"timeStamp":"1685501863357","userId":["u1"]}""", eventId: "evt-002");

        var ack1 = await gateway.WaitForAckAsync(first, Wait);
        var ack2 = await gateway.WaitForAckAsync(second, Wait);
        Assert.Equal(("SUCCESS", 200), (ack1.Status, ack1.Code));
        Assert.Equal("SUCCESS", ack2.Status);
        Assert.Equal("""{"status":"SUCCESS","message":"success"}""", ack1.Data);

        var runs = dispatcher.Runs.ToArray();
        Assert.Equal(2, runs.Length);
        var (context, payload) = runs.Single(r => r.Context.EventType == "bpms_instance_change");
        Assert.Equal(DingDeliveryChannel.Stream, context.Channel);
        Assert.Equal("evt-001", context.EventId);
        Assert.Equal("ding-corp-1", context.CorpId);
        Assert.Equal(data, payload);
        Assert.Null(context.AppName);
        Assert.NotEqual(default, context.ReceivedAt);
        Assert.True(context.CancellationToken.CanBeCanceled);

        var request = Assert.Single(gateway.TicketRequests);
        Assert.Equal(StreamHost.AppKey, request.ClientId);
        Assert.Equal(["EVENT:*"], request.Subscriptions);
        Assert.StartsWith("dinggen/", request.UserAgent, StringComparison.Ordinal);
        Assert.True(request.AcceptedJson);
        Assert.DoesNotContain(StreamHost.AppSecret, host.AllLogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_up_log_lists_the_events_to_tick_in_the_console()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        await using var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_leave_org", "bpms_task_change"));
        var record = host.Logs.GetSnapshot().Single(r => r.Id.Name == "StreamStarting");
        Assert.Contains("tick these events in the DingTalk console", record.Message, StringComparison.Ordinal);
        Assert.Contains("bpms_task_change, user_leave_org", record.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_handler_is_acknowledged_later_and_the_redelivery_is_handled()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromMilliseconds(300)));
        var dispatcher = new StreamTestDispatcher("user_add_org")
        {
            Handler = static (_, run) => run == 1 ? throw new InvalidOperationException("database down") : Task.CompletedTask,
        };
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);

        var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""", eventId: "evt-later");
        var later = await gateway.WaitForAckAsync(messageId, "LATER", Wait);
        var success = await gateway.WaitForAckAsync(messageId, "SUCCESS", Wait);

        Assert.True(later.Sequence < success.Sequence);
        Assert.True(dispatcher.Runs.Count >= 2);
        Assert.All(dispatcher.Runs, r => Assert.Equal("evt-later", r.Context.EventId));
        var failure = host.Logs.GetSnapshot().Single(r => r.Id.Name == "HandlerFailed");
        Assert.Contains(StreamTestDispatcher.HandlerName, failure.Message, StringComparison.Ordinal);
        Assert.Contains("LATER", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_dropped_connection_mid_event_reconnects_with_a_fresh_ticket_and_loses_nothing()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromMilliseconds(300)));
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new StreamTestDispatcher("user_add_org", "user_leave_org")
        {
            Handler = async (context, run) =>
            {
                if (run == 1)
                {
                    inHandler.TrySetResult();
                    await release.Task;
                }
            },
        };
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);

        var inFlight = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""", eventId: "evt-inflight");
        await inHandler.Task.WaitAsync(Wait);
        await gateway.DropConnectionsAsync();
        var afterDrop = await gateway.SendEventAsync("user_leave_org", """{"userId":["u2"]}""", eventId: "evt-after");
        release.SetResult();

        var inFlightAck = await gateway.WaitForAckAsync(inFlight, "SUCCESS", Wait);
        var afterAck = await gateway.WaitForAckAsync(afterDrop, "SUCCESS", Wait);

        Assert.Equal(2, inFlightAck.ConnectionId);
        Assert.Equal(2, afterAck.ConnectionId);
        Assert.Equal(2, gateway.TicketsIssued);
        Assert.Equal(2, gateway.Connections.Count);
        Assert.Contains(dispatcher.Runs, r => r.Context.EventId == "evt-after");

        // At least once: the event whose ACK could not be sent ran again after the reconnect.
        Assert.True(dispatcher.Runs.Count(r => r.Context.EventId == "evt-inflight") >= 2);
        Assert.True(host.HasLog("StreamConnectionLost"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Disconnect_opens_the_new_connection_before_closing_the_old_one_and_finishes_its_events()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromSeconds(20)));
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new StreamTestDispatcher("user_add_org")
        {
            Handler = async (_, run) =>
            {
                if (run == 1)
                {
                    inHandler.TrySetResult();
                    await release.Task;
                }
            },
        };
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);

        var inFlight = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");
        await inHandler.Task.WaitAsync(Wait);
        await gateway.SendDisconnectAsync();
        await gateway.WaitForConnectionsAsync(2, Wait);
        Assert.True(gateway.Connections[0].IsOpen, "the old connection must stay open while its event runs");

        release.SetResult();
        var ack = await gateway.WaitForAckAsync(inFlight, Wait);
        await gateway.WaitForConnectionClosedAsync(1, Wait);

        var (old, next) = (gateway.Connections[0], gateway.Connections[1]);
        Assert.Equal(("SUCCESS", 1), (ack.Status, ack.ConnectionId));
        Assert.True(next.OpenedAt < old.ClosedAt, "the new connection opened before the old one closed");
        Assert.True(ack.Sequence < old.ClosedAt, "the in-flight event was acknowledged on the old connection before it closed");
        Assert.True(old.ClosedByClient);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, old.CloseStatus);
        Assert.Equal(2, gateway.TicketsIssued);
        Assert.Single(dispatcher.Runs);

        var after = await gateway.SendEventAsync("user_add_org", """{"userId":["u2"]}""");
        Assert.Equal(2, (await gateway.WaitForAckAsync(after, "SUCCESS", Wait)).ConnectionId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ping_is_answered_with_the_same_message_id_and_opaque_data()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        await using var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"));
        await gateway.WaitForConnectionsAsync(1, Wait);

        var ping = await gateway.SendPingAsync();
        var reply = await gateway.WaitForAckAsync(ping, Wait);

        Assert.Equal(200, reply.Code);
        Assert.Equal(gateway.SentData(ping), reply.Data);
        Assert.StartsWith("{\"opaque\":", reply.Data, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unhandled_event_types_are_acknowledged_success_and_counted()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);
        using var deliveries = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.deliveries");
        using var acks = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.stream.acks");

        var messageId = await gateway.SendEventAsync("calendar_event_change", """{"eventId":"x"}""", eventId: "evt-unhandled");
        var ack = await gateway.WaitForAckAsync(messageId, Wait);

        Assert.Equal("SUCCESS", ack.Status);
        Assert.Empty(dispatcher.Runs);
        var unhandled = Assert.Single(deliveries.GetMeasurementSnapshot());
        Assert.Equal("unhandled", unhandled.Tags["dinggen.outcome"]);
        Assert.Equal("stream", unhandled.Tags["dinggen.channel"]);
        // The ack is counted once its send completed, which can be just after the gateway saw it.
        await acks.WaitForMeasurementsAsync(1, Wait);
        Assert.Contains(acks.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["dinggen.status"], "SUCCESS"));
        var log = host.Logs.GetSnapshot().Single(r => r.Id.Name == "DeliveryUnhandled");
        Assert.Contains("calendar_event_change", log.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Malformed_frames_are_logged_without_payload_and_the_connection_keeps_serving()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);
        await gateway.WaitForConnectionsAsync(1, Wait);

        await gateway.SendRawAsync("not json SECRET-PAYLOAD-MARKER");
        await gateway.SendRawAsync("""{"type":"EVENT","data":"{\"SECRET-PAYLOAD-MARKER\":1}"}""");
        await gateway.SendRawAsync("""{"type":"EVENT","headers":{"messageId":"m-no-type"},"data":"{\"SECRET-PAYLOAD-MARKER\":1}"}""");
        var callback = await gateway.SendCallbackAsync();
        var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");

        var ack = await gateway.WaitForAckAsync(messageId, Wait);
        Assert.Equal(("SUCCESS", 1), (ack.Status, ack.ConnectionId));
        Assert.Equal("""{"response":null}""", (await gateway.WaitForAckAsync(callback, Wait)).Data);
        Assert.DoesNotContain(gateway.Acks, a => a.MessageId == "m-no-type");
        Assert.Equal(3, host.Logs.GetSnapshot().Count(r => r.Id.Name == "StreamMalformedFrame"));
        Assert.DoesNotContain("SECRET-PAYLOAD-MARKER", host.AllLogText(), StringComparison.Ordinal);
        Assert.Equal(1, gateway.TicketsIssued);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_message_spanning_several_websocket_reads_is_assembled()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);

        var users = string.Join(",", Enumerable.Range(0, 12_000).Select(i => $"\"user{i:D5}\""));
        var data = "{\"userId\":[" + users + "]}";
        var messageId = await gateway.SendEventAsync("user_add_org", data);

        Assert.Equal("SUCCESS", (await gateway.WaitForAckAsync(messageId, Wait)).Status);
        Assert.Equal(data, Assert.Single(dispatcher.Runs).Payload);
        Assert.True(data.Length > 100_000);
    }

    [Fact(Timeout = 30_000)]
    public async Task Shutdown_during_delivery_finishes_the_handler_acknowledges_and_closes_normally()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromSeconds(30)));
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawStopping = false;
        var dispatcher = new StreamTestDispatcher("user_add_org")
        {
            Handler = async (context, _) =>
            {
                inHandler.TrySetResult();
                await release.Task;
                sawStopping = context.CancellationToken.IsCancellationRequested;
            },
        };
        var host = await StreamHost.StartAsync(gateway, dispatcher);
        try
        {
            var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");
            await inHandler.Task.WaitAsync(Wait);

            using var timeout = new CancellationTokenSource(Wait);
            var stopping = host.Host.StopAsync(timeout.Token);
            await WhenCancelled(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping).WaitAsync(Wait);
            Assert.False(stopping.IsCompleted, "stop waits for the in-flight event");
            release.SetResult();
            await stopping;

            var ack = await gateway.WaitForAckAsync(messageId, Wait);
            await gateway.WaitForConnectionClosedAsync(1, Wait);
            Assert.Equal("SUCCESS", ack.Status);
            Assert.True(sawStopping, "handlers get the host's stopping token");
            var connection = Assert.Single(gateway.Connections);
            Assert.True(connection.ClosedByClient);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, connection.CloseStatus);
            Assert.True(ack.Sequence < connection.ClosedAt);
        }
        finally
        {
            release.TrySetResult();
            host.Host.Dispose();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Wrong_credentials_log_an_actionable_error_and_keep_retrying()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        const string wrongSecret = "definitely-not-the-secret-0042";
        await using var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), secret: wrongSecret);

        await gateway.WaitForTicketRequestsAsync(3, Wait);

        Assert.Equal(0, gateway.TicketsIssued);
        Assert.Empty(gateway.Connections);
        var record = host.Logs.GetSnapshot().First(r => r.Id.Name == "StreamCredentialsRejected");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, record.Level);
        Assert.Contains("DingGen:AppKey and DingGen:AppSecret", record.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, host.AllLogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_mode_requires_the_app_secret_but_not_token_or_aes_key()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        using var host = StreamHost.Build(StreamHost.Settings(gateway, secret: null), new StreamTestDispatcher("user_add_org"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(new CancellationTokenSource(StreamHost.Wait).Token));

        var failure = Assert.Single(error.Failures);
        Assert.Contains("DingGen:AppSecret is required because stream mode is on", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("Token", failure, StringComparison.Ordinal);
        Assert.Empty(gateway.TicketRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Invalid_stream_options_name_the_setting()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var settings = StreamHost.Settings(gateway);
        settings["DingGen:Stream:KeepAliveInterval"] = "00:05:00";
        settings["DingGen:Stream:MaxConcurrentEvents"] = "0";
        using var host = StreamHost.Build(settings, new StreamTestDispatcher("user_add_org"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(new CancellationTokenSource(StreamHost.Wait).Token));

        Assert.Contains(error.Failures, f => f.StartsWith("DingGen:Stream:KeepAliveInterval", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("DingGen:Stream:MaxConcurrentEvents", StringComparison.Ordinal));
    }

    private static Task WhenCancelled(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled);
        return cancelled.Task;
    }
}
