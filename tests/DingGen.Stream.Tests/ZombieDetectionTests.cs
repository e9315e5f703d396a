using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Stream.Tests;

public sealed class ZombieDetectionTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 30_000)]
    public async Task A_stalled_gateway_is_detected_within_the_silence_timeout_and_replaced_with_a_fresh_ticket()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher, time, static o =>
        {
            o.SilenceTimeout = Silence;
            o.KeepAliveInterval = TimeSpan.FromSeconds(25);
            o.InitialReconnectDelay = TimeSpan.FromSeconds(1);
            o.MaxReconnectDelay = TimeSpan.FromSeconds(5);
        });
        using var reconnects = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.stream.reconnects");
        await gateway.WaitForConnectionsAsync(1, Wait);

        // A connection that receives something is alive, however long it has been open.
        time.Advance(TimeSpan.FromSeconds(20));
        var ping = await gateway.SendPingAsync();
        await gateway.WaitForAckAsync(ping, Wait);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(host.HasLog("StreamConnectionSilent"));

        // From here the gateway answers nothing, not even WebSocket pings.
        ping = await gateway.SendPingAsync();
        await gateway.WaitForAckAsync(ping, Wait);
        gateway.Stall();
        time.Advance(Silence - TimeSpan.FromSeconds(1));
        Assert.False(host.HasLog("StreamConnectionSilent"), "not silent before the configured timeout");

        // The watchdog checks every tenth of the timeout: detected at the latest one check period after it.
        time.Advance(Silence / 10 + TimeSpan.FromSeconds(1));
        Assert.True(host.HasLog("StreamConnectionSilent"), "detected within the silence timeout plus one check period");

        // The reconnect waits its backoff on the host's clock.
        for (var step = 0; step < 20 && gateway.TicketsIssued < 2; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await gateway.WaitForTicketRequestsAsync(2, TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }

        await gateway.WaitForConnectionsAsync(2, Wait);
        Assert.Equal(2, gateway.TicketsIssued);
        var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");
        var ack = await gateway.WaitForAckAsync(messageId, "SUCCESS", Wait);
        Assert.Equal(2, ack.ConnectionId);
        Assert.Contains(reconnects.GetMeasurementSnapshot(), m => Equals(m.Tags["dinggen.reason"], "silent"));
    }
}
