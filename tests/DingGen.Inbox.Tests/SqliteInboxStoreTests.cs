using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DingGen.Inbox.Tests;

/// <summary>The shared inbox contract, against the embedded SQLite store (a second handle is a second connection to the same file).</summary>
public sealed class SqliteInboxContractTests : InboxContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override ValueTask<Store> OpenAsync()
    {
        // A small purge chunk, so the contract's purges span several chunks.
        var inbox = new SqliteDingInbox(_dir.File("inbox.db")) { PurgeChunkSize = 3 };
        return ValueTask.FromResult(new Store(inbox, inbox, inbox));
    }

    protected override ValueTask DeleteStorageAsync() => ValueTask.CompletedTask;
}

/// <summary>What only the embedded store does: restart recovery, owner-only files, never creating a database by opening one.</summary>
public sealed class SqliteInboxStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir = new();
    private readonly SqliteDingInbox _inbox;

    public SqliteInboxStoreTests()
    {
        _inbox = new SqliteDingInbox(_dir.File("inbox.db"));
    }

    public void Dispose()
    {
        _inbox.Dispose();
        _dir.Dispose();
    }

    private static DingInboxEntry Entry(string eventId) => InboxContractTests.Entry(eventId);

    /// <summary>
    /// Opens a second connection that holds the database's write lock (as another process would), then adds <paramref name="eventId"/>:
    /// the writer takes it (its batch number <paramref name="batchesBefore"/> + 1) and waits for the lock (busy timeout) until the
    /// returned connection is disposed, which rolls its transaction back.
    /// </summary>
    private async Task<(SqliteConnection Other, Task<DingInboxAddResult> Add)> AddWhileAnotherConnectionHoldsTheWriteLockAsync(string eventId, int batchesBefore)
    {
        var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _dir.File("inbox.db"), Pooling = false }.ToString());
        other.Open();
        using (var hold = other.CreateCommand())
        {
            hold.CommandText = "BEGIN IMMEDIATE";
            hold.ExecuteNonQuery();
        }

        var add = _inbox.AddAsync(Entry(eventId)).AsTask();
        await Eventually.TrueAsync(() => _inbox.BatchesTaken == batchesBefore + 1, $"the writer took \"{eventId}\" and waits for the lock");
        return (other, add);
    }

    [Fact(Timeout = 30_000)]
    public async Task Adds_and_completions_queued_while_a_transaction_is_written_are_written_together_in_the_next_one()
    {
        await _inbox.AddAsync(Entry("claimed"));
        var claimed = Assert.Single(await _inbox.ClaimAsync(1, T0, Lease));
        var before = _inbox.BatchesTaken;

        var (other, a) = await AddWhileAnotherConnectionHoldsTheWriteLockAsync("a", before);

        // Queued behind it: two adds and a completion.
        var b = _inbox.AddAsync(Entry("b")).AsTask();
        var done = _inbox.CompleteAsync(claimed.Id, T0).AsTask();
        var c = _inbox.AddAsync(Entry("c")).AsTask();
        Assert.False(a.IsCompleted || b.IsCompleted || done.IsCompleted || c.IsCompleted);

        other.Dispose();

        Assert.Equal([DingInboxAddResult.Added, DingInboxAddResult.Added, DingInboxAddResult.Added], await Task.WhenAll(a, b, c));
        await done;

        // One transaction for "a", one for everything queued while it waited: not one per call, and the completion rode with the adds.
        Assert.Equal(before + 2, _inbox.BatchesTaken);
        Assert.Equal(DingInboxState.Done, (await _inbox.GetAsync(claimed.Id))!.State);
        Assert.Equal(["a", "b", "c"], (await _inbox.ListAsync(DingInboxState.Pending, 10)).Select(static r => r.Entry.EventId).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_claim_is_made_in_the_writers_transaction_after_the_adds_queued_with_it()
    {
        var before = _inbox.BatchesTaken;

        var (other, a) = await AddWhileAnotherConnectionHoldsTheWriteLockAsync("a", before);

        // Queued behind it: an add, the worker's claim, another add.
        var b = _inbox.AddAsync(Entry("b")).AsTask();
        var claim = _inbox.ClaimAsync(10, T0, Lease).AsTask();
        var c = _inbox.AddAsync(Entry("c")).AsTask();
        Assert.False(claim.IsCompleted);

        other.Dispose();

        Assert.Equal([DingInboxAddResult.Added, DingInboxAddResult.Added, DingInboxAddResult.Added], await Task.WhenAll(a, b, c));

        // One transaction for everything queued behind "a", the claim after its adds: it got "c", queued after it, too.
        var claimed = await claim;
        Assert.Equal(before + 2, _inbox.BatchesTaken);
        Assert.Equal(["a", "b", "c"], claimed.Select(static r => r.Entry.EventId).Order(StringComparer.Ordinal));
        Assert.All(claimed, static r => Assert.Equal(1, r.Attempts));
        Assert.Empty(await _inbox.ClaimAsync(10, T0, Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task Writes_run_on_one_thread_of_their_own_which_sleeps_between_batches_and_ends_with_the_inbox()
    {
        using var inbox = new SqliteDingInbox(_dir.File("own.db"));
        Assert.Null(inbox.WriterThread);

        Assert.Equal(DingInboxAddResult.Added, await inbox.AddAsync(Entry("a")));
        var writer = Assert.IsType<Thread>(inbox.WriterThread);
        Assert.False(writer.IsThreadPoolThread);

        // Idle between batches, and woken again: the same thread writes the next batch.
        await Eventually.TrueAsync(() => writer.ThreadState.HasFlag(ThreadState.WaitSleepJoin), "the writer sleeps once nothing is queued");
        Assert.Equal(DingInboxAddResult.Added, await inbox.AddAsync(Entry("b")));
        Assert.Same(writer, inbox.WriterThread);
        Assert.Equal(2, inbox.BatchesTaken);

        // Disposing ends the thread; a write after that fails at once instead of waiting for a writer that is gone.
        inbox.Dispose();
        Assert.True(writer.Join(TimeSpan.FromSeconds(10)), "the writer thread ended");
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await inbox.AddAsync(Entry("c")));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_purge_lets_a_callback_be_stored_between_two_of_its_chunks()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(n => _inbox.AddAsync(Entry("old-" + n)).AsTask()));
        var claimed = await _inbox.ClaimAsync(10, T0, Lease);
        await _inbox.CompleteAsync(claimed.Select(static r => r.Id).ToList(), T0);

        // After the first of ten one-entry chunks a callback arrives. It is stored at once: the purge does not hold the writer
        // connection between chunks (one DELETE for everything held it for 1.6 s per 300,000 entries, and every callback waited).
        _inbox.PurgeChunkSize = 1;
        var chunksBefore = new List<int>();
        _inbox.BetweenPurgeChunks = async () =>
        {
            chunksBefore.Add((await _inbox.ListAsync(DingInboxState.Done, 20)).Count);
            if (chunksBefore.Count == 1)
            {
                var stored = await _inbox.AddAsync(Entry("during-the-purge")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(DingInboxAddResult.Added, stored);
            }
        };

        Assert.Equal(10, await _inbox.PurgeDoneAsync(T0.AddDays(1)));
        Assert.Equal([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], chunksBefore);
        Assert.Equal(["during-the-purge"], (await _inbox.ListAsync(null, 20)).Select(static r => r.Entry.EventId));
    }

    [Fact]
    public async Task After_a_restart_the_leases_of_the_dead_process_are_released_and_its_entries_are_due_at_once()
    {
        await _inbox.AddAsync(Entry("in-flight"));
        await _inbox.AddAsync(Entry("waiting"));
        await _inbox.AddAsync(Entry("finished"));
        var claimed = await _inbox.ClaimAsync(3, T0, Lease);
        await _inbox.CompleteAsync(claimed.Single(static r => r.Entry.EventId == "finished").Id, T0);
        _inbox.Dispose();

        // The process died holding two leases; a new one opens the same file.
        using var restarted = new SqliteDingInbox(_dir.File("inbox.db"));
        Assert.Empty(await restarted.ClaimAsync(10, T0.AddSeconds(1), Lease));
        Assert.Equal(2, await restarted.ReleaseStaleLeasesAsync());

        var again = await restarted.ClaimAsync(10, T0.AddSeconds(1), Lease);
        Assert.Equal(["in-flight", "waiting"], again.Select(static r => r.Entry.EventId).Order(StringComparer.Ordinal));
        Assert.All(again, static r => Assert.Equal(2, r.Attempts));
        Assert.Equal(DingInboxState.Done, (await restarted.GetAsync(claimed.Single(static r => r.Entry.EventId == "finished").Id))!.State);
    }

    [Fact]
    public async Task The_database_and_its_wal_are_created_readable_and_writable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _dir.File("sub/dir/mode.db");
        using (var inbox = new SqliteDingInbox(path))
        {
            await inbox.AddAsync(Entry("a"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.True(File.Exists(path + "-wal"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + "-wal"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.File("sub/dir")));
        }
    }

    [Fact]
    public void Opening_an_existing_database_never_creates_one()
    {
        var missing = _dir.File("missing.db");
        Assert.Throws<FileNotFoundException>(() => SqliteDingInbox.OpenExisting(missing));
        Assert.False(File.Exists(missing));
    }
}
