using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Xunit.Abstractions;

namespace DingGen.Inbox.Tests;

/// <summary>
/// Issue 13 section 5: three replicas (InboxCrashHost processes) share one PostgreSQL inbox. 5,000 callbacks from 32 senders are spread
/// over them, and every delivery is redelivered to a different replica than its first attempt (as if DingTalk had not seen the first
/// answer). One replica is killed with SIGKILL after about 1,500 acknowledged; the senders keep going to the two others.
/// </summary>
public sealed class MultiReplicaCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventCount = 5_000;
    private const int Senders = 32;
    private const int Replicas = 3;
    private const int KillAfterAcknowledged = 1_500;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(5);

    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PostgresServer.DropSchemaAsync(_schema);

    [Fact(Timeout = 240_000)]
    public async Task Every_acknowledged_event_is_handled_once_per_event_across_replicas_and_a_killed_replicas_leases_are_taken_over()
    {
        var total = Stopwatch.StartNew();
        var connectionString = PostgresServer.ConnectionString;
        var dingtalk = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var queue = new ConcurrentQueue<(int Index, int Attempt)>(Enumerable.Range(0, EventCount).Select(static i => (i, 0)));
        var failedDeliveries = 0;
        var duplicatesAnswered = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(220));

        string[] arguments =
        [
            $"--DingGen:Inbox:ConnectionString={connectionString}",
            $"--DingGen:Inbox:Schema={_schema}",
            $"--DingGen:Inbox:LeaseDuration={LeaseDuration}",
            "--DingGen:Inbox:PollInterval=00:00:00.500",
            "--HandlerDelayMs=20",
        ];
        var hosts = new CrashHostProcess[Replicas];
        for (var r = 0; r < Replicas; r++)
        {
            // Replica 0, the one killed, handles slowly: with fast handlers and batched claims it may hold no lease at all at the
            // moment of the kill (it happened in CI), and the takeover below would have nothing to prove.
            string[] own = r == 0 ? [$"--DingGen:Inbox:ReplicaId=replica-{r}", "--HandlerDelayMs=200"] : [$"--DingGen:Inbox:ReplicaId=replica-{r}"];
            hosts[r] = await CrashHostProcess.StartAsync([.. arguments, .. own], stop.Token);
        }

        var alive = new[] { true, true, true };
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
            {
                Timeout = TimeSpan.FromSeconds(10),
            };

            int PickAlive(int start)
            {
                for (var k = 0; k < Replicas; k++)
                {
                    var r = (start + k) % Replicas;
                    if (Volatile.Read(ref alive[r]))
                    {
                        return r;
                    }
                }

                throw new InvalidOperationException("no replica alive");
            }

            async Task<bool?> DeliverAsync(int replica, DingSealedMessage callback)
            {
                try
                {
                    using var request = dingtalk.CreateRequest(hosts[replica].Address + "/dingtalk/callback", callback);
                    var result = await dingtalk.SendAsync(client, request, stop.Token);
                    return result.IsSuccessReply;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    return null;
                }
            }

            async Task SendAsync()
            {
                while (!stop.IsCancellationRequested && queue.TryDequeue(out var item))
                {
                    var eventId = "multi-" + item.Index.ToString("D5", CultureInfo.InvariantCulture);
                    var callback = dingtalk.CreateCallback(TestKeys.Event("user_add_org", eventId));
                    var first = PickAlive(item.Index + item.Attempt);
                    var firstOk = await DeliverAsync(first, callback) == true;

                    // The redelivery goes to another replica: it must be recognised there (a duplicate, answered success).
                    var second = PickAlive(first + 1);
                    var secondOk = second != first && await DeliverAsync(second, callback) == true;
                    if (firstOk && secondOk)
                    {
                        Interlocked.Increment(ref duplicatesAnswered);
                    }

                    if (firstOk || secondOk)
                    {
                        acknowledged[eventId] = true;
                    }
                    else
                    {
                        // Not acknowledged: DingTalk delivers it again later.
                        Interlocked.Increment(ref failedDeliveries);
                        queue.Enqueue((item.Index, item.Attempt + 1));
                        await Task.Delay(20, stop.Token);
                    }
                }
            }

            var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)).ToArray();

            await Eventually.TrueAsync(() => acknowledged.Count >= KillAfterAcknowledged, $"{KillAfterAcknowledged} acknowledged deliveries", 90_000);
            Volatile.Write(ref alive[0], false);
            hosts[0].Kill();
            var killedAt = total.Elapsed;
            output.WriteLine($"SIGKILL replica-0 after {acknowledged.Count} acknowledged ({killedAt.TotalSeconds:F1} s)");

            // Entries leased at the moment of the kill (the dead replica's among them) must be finished by the survivors once the
            // leases expired: within the lease duration, plus a poll interval and the survivors' own backlog.
            var leased = await LeasedPendingIdsAsync();
            Assert.NotEmpty(leased);
            output.WriteLine($"{leased.Count} entries were leased when replica-0 died");
            await Eventually.TrueAsync(
                async () => await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox WHERE state = 1 AND id = ANY(ARRAY[{string.Join(',', leased.DefaultIfEmpty(0))}]::bigint[])") == leased.Count,
                "the dead replica's leased entries to be completed by the survivors",
                (int)(LeaseDuration + TimeSpan.FromSeconds(30)).TotalMilliseconds);
            output.WriteLine($"leased entries finished {(total.Elapsed - killedAt).TotalSeconds:F1} s after the kill (lease {LeaseDuration.TotalSeconds:F0} s)");

            // The dead replica's entries were claimed again by a survivor (a claim counts an attempt): the takeover happened.
            var takenOver = await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox WHERE attempts >= 2 AND id = ANY(ARRAY[{string.Join(',', leased)}]::bigint[])");
            output.WriteLine($"{takenOver} of them were taken over from the dead replica after their lease expired");
            Assert.True(takenOver > 0, "no entry of the killed replica was taken over: it had none leased when it died");

            await Task.WhenAll(senders).WaitAsync(stop.Token);
            output.WriteLine($"all {acknowledged.Count} acknowledged after {total.Elapsed.TotalSeconds:F1} s; {failedDeliveries} deliveries failed and were redelivered; {duplicatesAnswered} redeliveries answered as duplicates");
            Assert.Equal(EventCount, acknowledged.Count);

            await Eventually.TrueAsync(async () => await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".handled") == EventCount, "every event to be handled", 90_000);

            // A handler's effect is committed before its inbox entry is marked done: wait for the entries too, before the replicas stop.
            await Eventually.TrueAsync(async () => await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox WHERE state <> 1") == 0, "every inbox entry to be done", 90_000);
        }
        finally
        {
            foreach (var host in hosts)
            {
                host?.Kill();
            }
        }

        var handled = await HandledAsync();
        foreach (var eventId in acknowledged.Keys)
        {
            Assert.True(handled.ContainsKey(eventId), $"{eventId} was acknowledged but never handled");
        }

        // The effect: one row per event (the key is the event id), and nothing else.
        Assert.Equal(EventCount, handled.Count);
        Assert.Equal(EventCount, await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox"));
        Assert.Equal(EventCount, await CountAsync($"SELECT COUNT(DISTINCT (app, dedup_key)) FROM \"{_schema}\".inbox"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox WHERE state <> 1"));
        output.WriteLine($"handled {handled.Count} distinct events, {handled.Values.Sum() - handled.Count} handler re-runs (at-least-once); {total.Elapsed.TotalSeconds:F1} s in all");
    }

    private static Task<long> CountAsync(string sql) => PostgresServer.ScalarAsync(sql);

    private async Task<List<long>> LeasedPendingIdsAsync()
    {
        await using var dataSource = PostgresServer.CreateDataSource();
        await using var command = dataSource.CreateCommand($"SELECT id FROM \"{_schema}\".inbox WHERE state = 0 AND leased_until IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
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
