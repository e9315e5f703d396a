using System.Collections.Concurrent;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Stream.Tests;

/// <summary>The connection status the dashboard shows: last frame, frames, reconnects, and which replica connects.</summary>
public sealed class StreamStatusTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 30_000)]
    public async Task The_status_records_the_last_frame_and_counts_frames_and_reconnects_after_a_disconnect_and_a_dropped_connection()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var time = new FakeTimeProvider(T0);
        await using var host = await StreamHost.StartAsync(gateway, new StreamTestDispatcher("user_add_org"), time, static o =>
        {
            o.InitialReconnectDelay = TimeSpan.FromSeconds(1);
            o.MaxReconnectDelay = TimeSpan.FromSeconds(2);
        });
        await gateway.WaitForConnectionsAsync(1, Wait);
        var counters = host.Services.GetRequiredService<DingStreamStatusRegistry>().FindCounters("default");
        Assert.NotNull(counters);
        Assert.Equal((null, 0L, 0L), (counters.LastFrameAt, counters.Frames, counters.Reconnects));
        Assert.Equal((null, false), (counters.ReplicaId, counters.Leased));

        time.Advance(TimeSpan.FromSeconds(5));
        await gateway.WaitForAckAsync(await gateway.SendPingAsync(), Wait);
        Assert.Equal((T0.AddSeconds(5), 1L, 0L), (counters.LastFrameAt, counters.Frames, counters.Reconnects));

        // The gateway's disconnect: the connection is rotated (one reconnect); the disconnect frame itself is a frame.
        time.Advance(TimeSpan.FromSeconds(5));
        await gateway.SendDisconnectAsync();
        await gateway.WaitForConnectionsAsync(2, Wait);
        Assert.Equal((T0.AddSeconds(10), 2L, 1L), (counters.LastFrameAt, counters.Frames, counters.Reconnects));

        // A dropped connection: replaced after its backoff on the host's clock (a second reconnect).
        await gateway.WaitForConnectionClosedAsync(1, Wait);
        await gateway.DropConnectionsAsync();
        for (var step = 0; step < 20 && gateway.Connections.Count < 3; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await gateway.WaitForConnectionsAsync(3, TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }

        await gateway.WaitForConnectionsAsync(3, Wait);
        Assert.Equal(2L, counters.Reconnects);
        var at = time.GetUtcNow();
        var ack = await gateway.WaitForAckAsync(await gateway.SendPingAsync(), Wait);
        Assert.Equal(3, ack.ConnectionId);
        Assert.Equal((at, 3L), (counters.LastFrameAt, counters.Frames));
    }

    [Fact(Timeout = 30_000)]
    public async Task With_a_shared_lease_the_status_names_this_replica_and_the_holder_and_a_standby_replica_names_the_holder()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var leases = new ConcurrentDictionary<string, (string Holder, DateTimeOffset ExpiresAt)>();
        await using var a = await StartReplicaAsync(gateway, new SharedLease("replica-a", leases));
        await gateway.WaitForConnectionsAsync(1, Wait);
        await using var b = await StartReplicaAsync(gateway, new SharedLease("replica-b", leases));

        var registryB = b.Services.GetRequiredService<DingStreamStatusRegistry>();
        await WaitUntilAsync(() => registryB.Snapshot().Any(static p => p.Value.State == DingStreamConnectionState.Standby));

        var countersA = a.Services.GetRequiredService<DingStreamStatusRegistry>().FindCounters("default")!;
        var entryA = a.Services.GetRequiredService<DingStreamStatusRegistry>().Snapshot().Single().Value;
        Assert.Equal(("replica-a", true, "replica-a"), (countersA.ReplicaId, countersA.Leased, entryA.Holder));
        var countersB = registryB.FindCounters("default")!;
        var entryB = registryB.Snapshot().Single().Value;
        Assert.Equal(("replica-b", true, "replica-a"), (countersB.ReplicaId, countersB.Leased, entryB.Holder));
        Assert.Single(gateway.Connections);
    }

    private static async Task<StreamHost> StartReplicaAsync(FakeStreamGateway gateway, IDingStreamLease lease)
    {
        var host = StreamHost.Build(StreamHost.Settings(gateway), new StreamTestDispatcher("user_add_org"), services: s => s.AddSingleton(lease));
        using var timeout = new CancellationTokenSource(Wait);
        await host.StartAsync(timeout.Token);
        return StreamHost.FromStarted(host, null);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>A lease two hosts of this process share (what the PostgreSQL lease does across machines).</summary>
    private sealed class SharedLease(string replicaId, ConcurrentDictionary<string, (string Holder, DateTimeOffset ExpiresAt)> leases) : IDingStreamLease
    {
        public string ReplicaId => replicaId;

        public ValueTask<DingStreamLeaseState> TryAcquireAsync(string appName, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
        {
            lock (leases)
            {
                if (!leases.TryGetValue(appName, out var current) || current.ExpiresAt <= now || current.Holder == replicaId)
                {
                    current = (replicaId, now + duration);
                    leases[appName] = current;
                }

                return ValueTask.FromResult(new DingStreamLeaseState(current.Holder == replicaId, current.Holder, current.ExpiresAt));
            }
        }

        public ValueTask ReleaseAsync(string appName, CancellationToken cancellationToken = default)
        {
            lock (leases)
            {
                if (leases.TryGetValue(appName, out var current) && current.Holder == replicaId)
                {
                    leases.TryRemove(appName, out _);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
