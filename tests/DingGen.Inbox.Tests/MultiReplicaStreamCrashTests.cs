using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Xunit.Abstractions;

namespace DingGen.Inbox.Tests;

/// <summary>
/// Issue 13, stream mode: three replicas (InboxCrashHost processes) share one PostgreSQL inbox and the stream-connection lease in it,
/// against the fake Stream gateway. Exactly one replica holds the connection; 400 events stream through the gateway (one every 10 ms); the holder is
/// killed with SIGKILL after 100 acknowledgements; another replica takes the connection over once the lease (3 s) expired, the gateway redelivers what was not acknowledged
/// on the new connection, and every event is handled once (one row per event id) by the replicas' inbox workers.
/// </summary>
public sealed class MultiReplicaStreamCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventCount = 400;
    private const int KillAfterAcknowledged = 100;
    private const int Replicas = 3;
    private const string AppSecret = "crash-test-stream-secret";
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan TakeoverMargin = TimeSpan.FromSeconds(7);

    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PostgresServer.DropSchemaAsync(_schema);

    [Fact(Timeout = 180_000)]
    public async Task One_replica_holds_the_stream_connection_a_killed_holder_is_replaced_within_the_lease_and_every_acknowledged_event_is_handled_once()
    {
        var total = Stopwatch.StartNew();
        await using var gateway = await FakeStreamGateway.StartAsync(new FakeStreamGatewayOptions { ClientId = TestKeys.AppKey, ClientSecret = AppSecret });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(170));

        string[] arguments =
        [
            $"--DingGen:Inbox:ConnectionString={PostgresServer.ConnectionString}",
            $"--DingGen:Inbox:Schema={_schema}",
            "--DingGen:Inbox:LeaseDuration=00:00:05",
            "--DingGen:Inbox:PollInterval=00:00:00.500",
            $"--DingGen:AppSecret={AppSecret}",
            "--DingGen:Stream:Enabled=true",
            $"--DingGen:Stream:GatewayAddress={gateway.Address}",
            $"--DingGen:Stream:LeaseTimeout={LeaseTimeout}",
            "--DingGen:Stream:InitialReconnectDelay=00:00:00.200",
            "--DingGen:Stream:MaxReconnectDelay=00:00:02",
            "--HandlerDelayMs=5",
        ];
        var hosts = new CrashHostProcess[Replicas];
        try
        {
            for (var r = 0; r < Replicas; r++)
            {
                hosts[r] = await CrashHostProcess.StartAsync([.. arguments, $"--DingGen:Inbox:ReplicaId=replica-{r}"], stop.Token);
            }

            // Exactly one replica connects: the one holding the lease row.
            await gateway.WaitForConnectionsAsync(1, TimeSpan.FromSeconds(30));
            var holder = await LeaseHolderAsync();
            Assert.NotNull(holder);
            var holderIndex = int.Parse(holder!["replica-".Length..], CultureInfo.InvariantCulture);
            output.WriteLine($"{holder} holds the stream connection ({total.Elapsed.TotalSeconds:F1} s)");

            // The standbys poll the lease every third of LeaseTimeout: after a full LeaseTimeout, still one connection.
            await Task.Delay(LeaseTimeout, stop.Token);
            Assert.Single(gateway.Connections);
            Assert.Equal(1, gateway.ConnectionsOpen);
            Assert.Equal(holder, await LeaseHolderAsync());

            // The stream: one event every 10 ms (about 4 s in all), so the kill below lands mid-stream. The gateway sends each event to the
            // live connection and redelivers it (same message id) until it is acknowledged SUCCESS, on whichever connection is live by then.
            var eventIds = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var sender = Task.Run(async () =>
            {
                for (var i = 0; i < EventCount; i++)
                {
                    var eventId = "stream-" + i.ToString("D4", CultureInfo.InvariantCulture);
                    eventIds[await gateway.SendEventAsync("user_add_org", $$"""{"userId":["u{{i}}"]}""", eventId)] = eventId;
                    await Task.Delay(10, stop.Token);
                }
            });

            var firstConnection = gateway.Connections[0].Id;
            await gateway.WaitUntilAsync(static g => g.Acks.Count(static a => a.Status == "SUCCESS") >= KillAfterAcknowledged, TimeSpan.FromSeconds(60));
            hosts[holderIndex].Kill();
            var killed = Stopwatch.StartNew();
            var sentBeforeKill = eventIds.Keys.ToHashSet(StringComparer.Ordinal);
            output.WriteLine($"SIGKILL {holder} after {SuccessAcks(gateway).Count} SUCCESS acknowledgements ({total.Elapsed.TotalSeconds:F1} s)");

            // Another replica takes the connection over once the dead holder's lease expired.
            await gateway.WaitUntilAsync(static g => g.ConnectionsOpen == 1 && g.Connections.Count == 2, LeaseTimeout + TakeoverMargin);
            var takeover = killed.Elapsed;
            var newHolder = await LeaseHolderAsync();
            output.WriteLine($"{newHolder} connected {takeover.TotalSeconds:F1} s after the kill (lease {LeaseTimeout.TotalSeconds:F0} s)");
            Assert.NotNull(newHolder);
            Assert.NotEqual(holder, newHolder);

            await sender.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(EventCount, eventIds.Count);

            // Every event is acknowledged SUCCESS in the end. Each was first sent to the dead connection: those acknowledged on the new
            // one were redelivered there (the un-ACKed frames in flight when the holder died, and those still queued).
            await Eventually.TrueAsync(() => SuccessAcks(gateway).Count == EventCount, $"all {EventCount} events acknowledged SUCCESS", 60_000);
            var acks = SuccessAcks(gateway);
            var secondConnection = gateway.Connections[1].Id;
            Assert.All(acks.Values, connection => Assert.Contains(connection, new[] { firstConnection, secondConnection }));
            var redelivered = acks.Count(a => a.Value == secondConnection);
            var inFlightAtKill = acks.Count(a => a.Value == secondConnection && sentBeforeKill.Contains(a.Key));
            output.WriteLine($"{acks.Count - redelivered} events acknowledged on the first connection, {redelivered} on the new one ({inFlightAtKill} of them sent to the dead connection un-ACKed and redelivered); {gateway.Acks.Count - EventCount} extra acknowledgements (redeliveries answered as duplicates)");
            Assert.InRange(redelivered, 1, EventCount - KillAfterAcknowledged);
            Assert.Equal(1, gateway.ConnectionsOpen);

            // The handler's effect: one row per event id, committed before the inbox entry is marked done.
            await Eventually.TrueAsync(async () => await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".handled") == EventCount, "every event to be handled", 60_000);
            await Eventually.TrueAsync(async () => await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox WHERE state <> 1") == 0, "every inbox entry to be done", 60_000);

            var handled = await HandledAsync();
            foreach (var eventId in eventIds.Values)
            {
                Assert.True(handled.ContainsKey(eventId), $"{eventId} was acknowledged but never handled");
            }

            Assert.Equal(EventCount, handled.Count);
            Assert.Equal(EventCount, await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox"));
            Assert.Equal(EventCount, await CountAsync($"SELECT COUNT(DISTINCT (app, dedup_key)) FROM \"{_schema}\".inbox"));
            output.WriteLine($"handled {handled.Count} distinct events, {handled.Values.Sum() - handled.Count} handler re-runs (at-least-once); {total.Elapsed.TotalSeconds:F1} s in all");
        }
        finally
        {
            foreach (var host in hosts)
            {
                host?.Kill();
            }
        }
    }

    /// <summary>The first SUCCESS acknowledgement of each message: message id → connection id.</summary>
    private static Dictionary<string, int> SuccessAcks(FakeStreamGateway gateway)
    {
        var acks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var ack in gateway.Acks)
        {
            if (ack.Status == "SUCCESS")
            {
                acks.TryAdd(ack.MessageId, ack.ConnectionId);
            }
        }

        return acks;
    }

    private static Task<long> CountAsync(string sql) => PostgresServer.ScalarAsync(sql);

    private async Task<string?> LeaseHolderAsync()
    {
        await using var dataSource = PostgresServer.CreateDataSource();
        await using var command = dataSource.CreateCommand($"SELECT holder FROM \"{_schema}\".stream_lease WHERE expires_at > now()");
        await using var reader = await command.ExecuteReaderAsync();
        string? holder = null;
        var rows = 0;
        while (await reader.ReadAsync())
        {
            holder = reader.GetString(0);
            rows++;
        }

        Assert.True(rows <= 1, $"{rows} live stream-connection leases for one app");
        return holder;
    }

    private async Task<Dictionary<string, long>> HandledAsync()
    {
        await using var dataSource = PostgresServer.CreateDataSource();
        await using var command = dataSource.CreateCommand($"SELECT event_id, runs FROM \"{_schema}\".handled");
        await using var reader = await command.ExecuteReaderAsync();
        var handled = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            handled[reader.GetString(0)] = reader.GetInt32(1);
        }

        return handled;
    }
}
