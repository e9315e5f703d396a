using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;

namespace DingGen.Inbox.Tests;

/// <summary>
/// The PostgreSQL store's group commit: concurrent callers share statements, at most two statements are in flight, a caller whose
/// item another writer took waits for that statement, and a failed statement fails exactly its own callers.
/// </summary>
public sealed class GroupCommitTests
{
    /// <summary>A write function whose statements stay open until the test lets them finish, recording each batch.</summary>
    private sealed class GatedWriter
    {
        private readonly object _lock = new();
        private int _inFlight;

        public List<int[]> Batches { get; } = [];

        public List<TaskCompletionSource> Gates { get; } = [];

        public int MaxInFlight { get; private set; }

        public SemaphoreSlim Started { get; } = new(0);

        public async Task<string[]> WriteAsync(int[] items)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                Batches.Add(items);
                Gates.Add(gate);
                _inFlight++;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            }

            Started.Release();
            try
            {
                await gate.Task;
            }
            finally
            {
                lock (_lock)
                {
                    _inFlight--;
                }
            }

            return [.. items.Select(static i => "r" + i)];
        }

        public void Open(int batch)
        {
            lock (_lock)
            {
                Gates[batch].SetResult();
            }
        }

        public void Fail(int batch)
        {
            lock (_lock)
            {
                Gates[batch].SetException(new InvalidOperationException("statement " + batch + " rolled back"));
            }
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task Two_statements_are_in_flight_at_once_and_the_callers_behind_them_share_the_next()
    {
        var writer = new GatedWriter();
        var group = new GroupCommit<int, string>(writer.WriteAsync, maxBatch: 100);

        var first = group.RunAsync(1, CancellationToken.None).AsTask();
        await writer.Started.WaitAsync();
        var second = group.RunAsync(2, CancellationToken.None).AsTask();
        await writer.Started.WaitAsync();

        // Both writer slots are busy: the next eight callers gather.
        var rest = Enumerable.Range(3, 8).Select(i => group.RunAsync(i, CancellationToken.None).AsTask()).ToArray();
        Assert.Equal(new[] { new[] { 1 }, new[] { 2 } }, writer.Batches);
        Assert.False(first.IsCompleted);

        // The first statement commits: one caller behind it writes all eight in one statement.
        writer.Open(0);
        Assert.Equal("r1", await first);
        await writer.Started.WaitAsync();
        Assert.Equal(Enumerable.Range(3, 8), writer.Batches[2]);

        writer.Open(1);
        writer.Open(2);
        Assert.Equal("r2", await second);
        Assert.Equal(Enumerable.Range(3, 8).Select(static i => "r" + i), await Task.WhenAll(rest));
        Assert.Equal(3, writer.Batches.Count);
        Assert.Equal(3, group.BatchesWritten);
        Assert.Equal(2, writer.MaxInFlight);
    }

    [Fact(Timeout = 10_000)]
    public async Task One_writer_serialises_statements()
    {
        var writer = new GatedWriter();
        var group = new GroupCommit<int, string>(writer.WriteAsync, maxBatch: 100, maxWriters: 1);

        var first = group.RunAsync(1, CancellationToken.None).AsTask();
        await writer.Started.WaitAsync();
        var others = Enumerable.Range(2, 3).Select(i => group.RunAsync(i, CancellationToken.None).AsTask()).ToArray();
        Assert.Single(writer.Batches);

        writer.Open(0);
        await writer.Started.WaitAsync();
        writer.Open(1);
        await Task.WhenAll(others.Append(first));
        Assert.Equal(new[] { new[] { 1 }, new[] { 2, 3, 4 } }, writer.Batches);
        Assert.Equal(1, writer.MaxInFlight);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_failed_statement_fails_its_own_callers_only_and_batches_respect_the_size_limit()
    {
        var writer = new GatedWriter();
        var group = new GroupCommit<int, string>(writer.WriteAsync, maxBatch: 3);

        var a = group.RunAsync(1, CancellationToken.None).AsTask();
        await writer.Started.WaitAsync();
        var b = group.RunAsync(2, CancellationToken.None).AsTask();
        await writer.Started.WaitAsync();
        var queued = Enumerable.Range(3, 5).Select(i => group.RunAsync(i, CancellationToken.None).AsTask()).ToArray();

        writer.Fail(0);
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => a);
        Assert.Equal("statement 0 rolled back", failed.Message);

        // Items 3..7 go out in statements of at most three.
        await writer.Started.WaitAsync();
        writer.Open(1);
        writer.Open(2);
        await writer.Started.WaitAsync();
        writer.Open(3);
        Assert.Equal("r2", await b);
        Assert.Equal(Enumerable.Range(3, 5).Select(static i => "r" + i), await Task.WhenAll(queued));
        Assert.Equal(new[] { 3, 4, 5 }, writer.Batches[2]);
        Assert.Equal(new[] { 6, 7 }, writer.Batches[3]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Many_concurrent_callers_each_get_their_own_result_in_statements_of_at_most_the_batch_size()
    {
        var group = new GroupCommit<int, int>(async items =>
        {
            await Task.Yield();
            return [.. items.Select(static i => i * 10)];
        }, maxBatch: 50);

        var results = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(async () => (i, await group.RunAsync(i, CancellationToken.None)))));

        Assert.All(results, static r => Assert.Equal(r.i * 10, r.Item2));
        Assert.InRange(group.BatchesWritten, 40, 2_000);
    }
}

/// <summary>Concurrent statements of one store and of several replicas insert overlapping keys in any order without a deadlock.</summary>
public sealed class PostgreSqlGroupCommitTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PostgresServer.DropSchemaAsync(_schema);

    [Fact(Timeout = 120_000)]
    public async Task Overlapping_keys_in_opposite_orders_from_four_replicas_store_each_key_once_without_a_deadlock()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema)).ToArray();
        try
        {
            // Each replica has its schema checked and a connection open before the race.
            foreach (var (replica, r) in replicas.Select(static (x, r) => (x, r)))
            {
                Assert.Equal(DingInboxAddResult.Added, await replica.AddAsync(InboxContractTests.Entry("warm-up-" + r)));
            }

            // Every replica adds the same 2,000 keys, queued in one go so that each statement carries hundreds of them, odd
            // replicas walking the keys backwards: statements taking the keys' index locks in their callers' order hold each
            // other's keys and PostgreSQL aborts one of them as a deadlock.
            const int Keys = 2_000;
            var adds = new List<Task<(int Key, DingInboxAddResult Result)>>();
            for (var r = 0; r < replicas.Length; r++)
            {
                var replica = replicas[r];
                var order = r % 2 == 0 ? Enumerable.Range(0, Keys) : Enumerable.Range(0, Keys).Reverse();
                adds.AddRange(order.Select(async k => (k, await replica.AddAsync(InboxContractTests.Entry("k" + k)))));
            }

            var results = await Task.WhenAll(adds);

            Assert.All(results.GroupBy(static r => r.Key), static g => Assert.Equal(1, g.Count(static r => r.Result == DingInboxAddResult.Added)));
            Assert.Equal(Keys + replicas.Length, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
