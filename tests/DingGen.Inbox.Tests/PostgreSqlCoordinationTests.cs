using System.Globalization;
using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>What happens once per app across replicas with PostgreSQL: the replay guard's memory and the stream-connection lease.</summary>
public sealed class PostgreSqlCoordinationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(15);

    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<PostgreSqlDingInbox> _replicas = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await PostgresServer.DropSchemaAsync(_schema);
    }

    /// <summary>One replica's handle on the shared database (its own data source, as another process would have).</summary>
    private PostgreSqlSchema Replica()
    {
        var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        _replicas.Add(inbox);
        return inbox.SchemaHandle;
    }

    private static DingCallbackApp GuardedApp()
    {
        var options = new DingGenOptions { Token = TestKeys.Token, AesKey = TestKeys.AesKey, AppKey = TestKeys.AppKey };
        options.ReplayGuard.Enabled = true;
        return new DingCallbackApp(string.Empty, options);
    }

    private static string Signature(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes(i)));

    [Fact(Timeout = 60_000)]
    public async Task A_request_accepted_by_one_replica_is_a_replay_on_another_and_a_forgotten_one_is_served_again()
    {
        var clock = new FakeTimeProvider(Now);
        var first = new DingReplayGuard(clock, NullLoggerFactory.Instance, new PostgreSqlReplayGuardStore(Replica()));
        var second = new DingReplayGuard(clock, NullLoggerFactory.Instance, new PostgreSqlReplayGuardStore(Replica()));
        var app = GuardedApp();
        var timestamp = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        Assert.Equal(DingReplayVerdict.Accepted, (await first.CheckAsync(app, Signature(1), timestamp, CancellationToken.None)).Verdict);
        var replay = await second.CheckAsync(app, Signature(1), timestamp, CancellationToken.None);
        Assert.Equal(DingReplayVerdict.Replayed, replay.Verdict);
        Assert.Contains("already accepted", replay.Message, StringComparison.Ordinal);
        Assert.Equal(DingReplayVerdict.Accepted, (await second.CheckAsync(app, Signature(2), timestamp, CancellationToken.None)).Verdict);

        // The handler failed on the first replica: DingTalk's redelivery (same signature) may reach the second one and is served.
        await first.ForgetAsync(app, Signature(1));
        Assert.Equal(DingReplayVerdict.Accepted, (await second.CheckAsync(app, Signature(1), timestamp, CancellationToken.None)).Verdict);

        // Timestamps outside the tolerance are refused before the store is asked.
        var old = Now.AddMinutes(-10).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(DingReplayVerdict.TimestampRejected, (await second.CheckAsync(app, Signature(3), old, CancellationToken.None)).Verdict);
    }

    [Fact(Timeout = 60_000)]
    public async Task Of_concurrent_checks_of_one_request_on_many_replicas_exactly_one_is_accepted()
    {
        var clock = new FakeTimeProvider(Now);
        var guards = Enumerable.Range(0, 6).Select(_ => new DingReplayGuard(clock, NullLoggerFactory.Instance, new PostgreSqlReplayGuardStore(Replica()))).ToArray();
        var app = GuardedApp();
        var timestamp = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var verdicts = await Task.WhenAll(guards.SelectMany(g => Enumerable.Range(0, 5).Select(_ => Task.Run(async () => (await g.CheckAsync(app, Signature(7), timestamp, CancellationToken.None)).Verdict))));
        Assert.Equal(1, verdicts.Count(static v => v == DingReplayVerdict.Accepted));
        Assert.Equal(29, verdicts.Count(static v => v == DingReplayVerdict.Replayed));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_expired_memory_accepts_the_signature_again()
    {
        var store = new PostgreSqlReplayGuardStore(Replica());
        Assert.True(await store.TryRememberAsync("", Signature(1), Now.AddMinutes(1), Now));
        Assert.False(await store.TryRememberAsync("", Signature(1), Now.AddMinutes(1), Now.AddSeconds(59)));
        Assert.True(await store.TryRememberAsync("", Signature(1), Now.AddMinutes(3), Now.AddMinutes(1)));
        Assert.True(await store.TryRememberAsync("hr", Signature(1), Now.AddMinutes(3), Now.AddMinutes(1)));
    }

    [Fact(Timeout = 60_000)]
    public async Task One_statement_remembers_a_batch_as_if_its_requests_came_one_after_the_other()
    {
        var store = new PostgreSqlReplayGuardStore(Replica());
        Assert.True(await store.TryRememberAsync("", Signature(3), Now.AddMinutes(1), Now));
        Assert.True(await store.TryRememberAsync("", Signature(4), Now.AddSeconds(30), Now));
        var later = Now.AddSeconds(40);

        var results = await store.WriteRemembersAsync(
        [
            new("", Signature(1), later.AddMinutes(5).UtcDateTime, later), // fresh
            new("", Signature(2), later.AddMinutes(5).UtcDateTime, later), // fresh
            new("", Signature(1), later.AddMinutes(5).UtcDateTime, later.AddMilliseconds(3)), // replay within the batch
            new("", Signature(3), later.AddMinutes(5).UtcDateTime, later), // remembered before, not expired: replay
            new("", Signature(4), later.AddMinutes(5).UtcDateTime, later), // remembered before, expired: fresh again
            new("hr", Signature(1), later.AddMinutes(5).UtcDateTime, later), // another app's memory is its own
        ]);

        Assert.Equal([true, true, false, false, true, true], results);
        Assert.False(await store.TryRememberAsync("", Signature(4), later.AddMinutes(5), later.AddSeconds(1)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_requests_on_three_replicas_are_grouped_and_each_signature_is_accepted_once()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => new PostgreSqlReplayGuardStore(Replica())).ToArray();

        // 300 signatures, each sent twice to every replica: 1,800 concurrent checks.
        var checks = Enumerable.Range(0, 300)
            .SelectMany(i => stores.SelectMany(store => new[] { (Store: store, Signature: i), (Store: store, Signature: i) }))
            .Select(c => Task.Run(async () => (c.Signature, Fresh: await c.Store.TryRememberAsync("", Signature(c.Signature), Now.AddMinutes(5), Now))))
            .ToArray();
        var verdicts = await Task.WhenAll(checks);

        Assert.All(verdicts.GroupBy(static v => v.Signature), g => Assert.Equal(1, g.Count(static v => v.Fresh)));
        Assert.True(stores.Sum(static s => s.BatchesWritten) < verdicts.Length, "concurrent checks were not grouped into fewer statements");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_caller_that_stops_waiting_does_not_leave_its_request_remembered_behind_its_back()
    {
        var store = new PostgreSqlReplayGuardStore(Replica());
        Assert.True(await store.TryRememberAsync("", Signature(1), Now.AddMinutes(5), Now)); // creates the tables, runs the minute's cleanup

        // Another session holds the table, so the batch waits in the database while the caller is cancelled.
        await using var dataSource = PostgresServer.CreateDataSource();
        await using var blocker = await dataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand($"LOCK TABLE \"{_schema}\".replay_guard IN EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        using var cancellation = new CancellationTokenSource();
        var check = store.TryRememberAsync("", Signature(2), Now.AddMinutes(5), Now, cancellation.Token).AsTask();
        await Task.Delay(200);
        cancellation.Cancel();
        Assert.False(check.IsCompleted);
        await transaction.CommitAsync();

        // The statement was written anyway, so the caller gets its true answer (fresh) and goes on to store the event, instead of
        // giving up with its signature remembered: DingTalk's redelivery of that request would otherwise be refused as a replay.
        Assert.True(await check);
        Assert.False(await store.TryRememberAsync("", Signature(2), Now.AddMinutes(5), Now));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_stream_lease_has_one_holder_is_renewed_by_it_taken_over_after_expiry_and_freed_by_release()
    {
        var a = new PostgreSqlStreamLease(Replica(), "replica-a");
        var b = new PostgreSqlStreamLease(Replica(), "replica-b");

        var taken = await a.TryAcquireAsync("", Now, LeaseTimeout);
        Assert.True(taken.Held);
        Assert.Equal(Now + LeaseTimeout, taken.ExpiresAt);
        var refused = await b.TryAcquireAsync("", Now.AddSeconds(1), LeaseTimeout);
        Assert.Equal(new DingStreamLeaseState(false, "replica-a", Now + LeaseTimeout), refused);

        // Renewal by the holder moves the expiry; the other replica still cannot take it before then.
        Assert.True((await a.TryAcquireAsync("", Now.AddSeconds(5), LeaseTimeout)).Held);
        Assert.False((await b.TryAcquireAsync("", Now.AddSeconds(16), LeaseTimeout)).Held);

        // The holder died (no renewal): once its lease expired, the other replica takes it.
        var takeover = await b.TryAcquireAsync("", Now.AddSeconds(20), LeaseTimeout);
        Assert.Equal(new DingStreamLeaseState(true, "replica-b", Now.AddSeconds(35)), takeover);
        Assert.False((await a.TryAcquireAsync("", Now.AddSeconds(21), LeaseTimeout)).Held);

        // Release frees it at once; another app's lease is independent.
        Assert.True((await a.TryAcquireAsync("hr", Now.AddSeconds(21), LeaseTimeout)).Held);
        await a.ReleaseAsync(""); // not the holder: no effect
        Assert.False((await a.TryAcquireAsync("", Now.AddSeconds(22), LeaseTimeout)).Held);
        await b.ReleaseAsync("");
        Assert.True((await a.TryAcquireAsync("", Now.AddSeconds(22), LeaseTimeout)).Held);
    }

    [Fact(Timeout = 60_000)]
    public async Task One_runner_connects_the_other_stands_by_and_takes_over_when_the_holder_stops_or_dies()
    {
        var clock = new FakeTimeProvider(Now);
        var status = new DingStreamStatusRegistry();
        var connected = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var leaseA = new PostgreSqlStreamLease(Replica(), "replica-a");
        var leaseB = new PostgreSqlStreamLease(Replica(), "replica-b");

        Func<CancellationToken, Task> Connect(string replica) => async token =>
        {
            connected.AddOrUpdate(replica, 1, static (_, n) => n + 1);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                connected.AddOrUpdate(replica, 0, static (_, n) => n - 1);
            }
        };

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runnerA = new DingStreamLeaseRunner("", "default", leaseA, LeaseTimeout, status, clock, NullLogger.Instance).RunAsync(Connect("replica-a"), stopA.Token);
        await Eventually.TrueAsync(() => connected.GetValueOrDefault("replica-a") == 1, "replica a to connect", 10_000);
        var runnerB = new DingStreamLeaseRunner("", "default", leaseB, LeaseTimeout, status, clock, NullLogger.Instance).RunAsync(Connect("replica-b"), stopB.Token);
        await Eventually.TrueAsync(() => status.Snapshot().Single().Value.State == DingStreamConnectionState.Standby, "replica b to stand by", 10_000);
        Assert.Equal("replica-a", status.Snapshot().Single().Value.Holder);

        // Renewals keep a's lease through several timeouts; b never connects meanwhile.
        for (var i = 0; i < 9; i++)
        {
            clock.Advance(LeaseTimeout / 3);
            await Task.Delay(50);
            Assert.Equal(1, connected.GetValueOrDefault("replica-a"));
            Assert.Equal(0, connected.GetValueOrDefault("replica-b"));
        }

        // a shuts down: it releases at once, and b takes over at its next look (a third of the timeout).
        await stopA.CancelAsync();
        await runnerA.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, connected.GetValueOrDefault("replica-a"));
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return connected.GetValueOrDefault("replica-b") == 1;
        }, "replica b to take over", 10_000);
        Assert.Equal("replica-b", status.Snapshot().Single().Value.Holder);

        await stopB.CancelAsync();
        await runnerB.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".stream_lease"));
    }
}
