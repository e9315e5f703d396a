using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DingGen.Stream.Tests;

public sealed class HealthTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task Health_is_healthy_while_connected_and_degraded_while_credentials_are_refused()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        await using (var good = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), services: static s => s.AddHealthChecks().AddDingGenHealthCheck()))
        {
            await gateway.WaitForConnectionsAsync(1, Wait);
            var ping = await gateway.SendPingAsync();
            await gateway.WaitForAckAsync(ping, Wait);

            var report = await good.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var entry = report.Entries["dinggen"];
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Equal("Connected", entry.Data["stream:default"]);
        }

        await using var bad = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), secret: "wrong-secret", services: static s => s.AddHealthChecks().AddDingGenHealthCheck());
        var requests = gateway.TicketRequests.Count;
        await gateway.WaitForTicketRequestsAsync(requests + 2, Wait);

        var degraded = (await bad.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["dinggen"];
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("credentials rejected", degraded.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", degraded.Description, StringComparison.Ordinal);
    }
}
