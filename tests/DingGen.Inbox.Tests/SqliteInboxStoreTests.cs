using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;

namespace DingGen.Inbox.Tests;

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

    internal static DingInboxEntry Entry(string eventId, string app = "", DateTimeOffset? receivedAt = null) => new()
    {
        AppName = app,
        EventType = "user_add_org",
        DedupKey = "user_add_org:" + eventId,
        EventId = eventId,
        CorpId = "dingcorp0001",
        ReceivedAt = receivedAt ?? T0,
        Envelope = new DingSealedMessage("sig-" + eventId, "1717034400000", "nonce123", "ENCRYPTED-" + eventId),
    };

    [Fact]
    public async Task Add_stores_an_entry_that_reads_back_exactly_and_a_second_add_of_the_key_is_a_duplicate()
    {
        Assert.Equal(DingInboxAddResult.Added, await _inbox.AddAsync(Entry("e1")));
        Assert.Equal(DingInboxAddResult.Duplicate, await _inbox.AddAsync(Entry("e1")));

        var all = await _inbox.ListAsync(null, 10);
        var record = Assert.Single(all);
        Assert.Equal(DingInboxState.Pending, record.State);
        Assert.Equal(0, record.Attempts);
        Assert.Equal("user_add_org:e1", record.Entry.DedupKey);
        Assert.Equal("e1", record.Entry.EventId);
        Assert.Equal("dingcorp0001", record.Entry.CorpId);
        Assert.Equal(T0, record.Entry.ReceivedAt);
        Assert.Equal(new DingSealedMessage("sig-e1", "1717034400000", "nonce123", "ENCRYPTED-e1"), record.Entry.Envelope);
        Assert.Equal(record.Id, (await _inbox.GetAsync(record.Id))!.Id);
        Assert.Null(await _inbox.GetAsync(record.Id + 100));
    }

    [Fact]
    public async Task The_same_key_for_another_app_is_a_different_entry()
    {
        Assert.Equal(DingInboxAddResult.Added, await _inbox.AddAsync(Entry("e1", app: "")));
        Assert.Equal(DingInboxAddResult.Added, await _inbox.AddAsync(Entry("e1", app: "hr")));
        Assert.Equal(2, (await _inbox.ListAsync(null, 10)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_adds_of_one_key_from_two_connections_store_one_row()
    {
        using var second = new SqliteDingInbox(_inbox.Path);
        var tasks = new List<Task<DingInboxAddResult>>();
        for (var i = 0; i < 50; i++)
        {
            var id = "k" + (i % 10);
            var target = i % 2 == 0 ? _inbox : second;
            tasks.Add(Task.Run(async () => await target.AddAsync(Entry(id))));
        }

        var results = await Task.WhenAll(tasks);
        Assert.Equal(10, results.Count(static r => r == DingInboxAddResult.Added));
        Assert.Equal(40, results.Count(static r => r == DingInboxAddResult.Duplicate));
        Assert.Equal(10, (await _inbox.ListAsync(null, 100)).Count);
    }

    [Fact]
    public async Task Claim_leases_due_entries_oldest_first_counts_the_attempt_and_hides_them_until_the_lease_expires()
    {
        await _inbox.AddAsync(Entry("a", receivedAt: T0));
        await _inbox.AddAsync(Entry("b", receivedAt: T0.AddSeconds(1)));
        await _inbox.AddAsync(Entry("c", receivedAt: T0.AddSeconds(2)));

        var first = await _inbox.ClaimAsync(2, T0.AddSeconds(5), Lease);
        Assert.Equal(["a", "b"], first.Select(static r => r.Entry.EventId));
        Assert.All(first, static r => Assert.Equal(1, r.Attempts));
        Assert.All(first, r => Assert.Equal(T0.AddSeconds(5) + Lease, r.LeasedUntil));

        var second = await _inbox.ClaimAsync(10, T0.AddSeconds(6), Lease);
        Assert.Equal(["c"], second.Select(static r => r.Entry.EventId));
        Assert.Empty(await _inbox.ClaimAsync(10, T0.AddSeconds(7), Lease));

        // The worker that held a and b died: once the lease expired they are due again, as attempt 2.
        var reclaimed = await _inbox.ClaimAsync(10, T0.AddSeconds(5) + Lease, Lease);
        Assert.Equal(["a", "b"], reclaimed.Select(static r => r.Entry.EventId));
        Assert.All(reclaimed, static r => Assert.Equal(2, r.Attempts));
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
    public async Task Concurrent_adds_are_committed_together_and_each_gets_its_own_answer()
    {
        var adds = Enumerable.Range(0, 200).Select(i => _inbox.AddAsync(Entry("batch-" + (i % 100))).AsTask()).ToArray();
        var results = await Task.WhenAll(adds);

        Assert.Equal(100, results.Count(static r => r == DingInboxAddResult.Added));
        Assert.Equal(100, results.Count(static r => r == DingInboxAddResult.Duplicate));
        Assert.Equal(100, (await _inbox.ListAsync(null, 1_000)).Count);
    }

    [Fact]
    public async Task An_entry_received_in_the_future_of_the_claim_is_not_due()
    {
        await _inbox.AddAsync(Entry("later", receivedAt: T0.AddMinutes(1)));
        Assert.Empty(await _inbox.ClaimAsync(10, T0, Lease));
        Assert.Single(await _inbox.ClaimAsync(10, T0.AddMinutes(1), Lease));
    }

    [Fact]
    public async Task Complete_marks_done_keeps_the_key_for_deduplication_and_is_never_claimed_again()
    {
        await _inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await _inbox.ClaimAsync(1, T0, Lease));
        await _inbox.CompleteAsync(claimed.Id, T0.AddSeconds(1));

        var record = (await _inbox.GetAsync(claimed.Id))!;
        Assert.Equal(DingInboxState.Done, record.State);
        Assert.Equal(T0.AddSeconds(1), record.CompletedAt);
        Assert.Null(record.LeasedUntil);
        Assert.Empty(await _inbox.ClaimAsync(10, T0.AddDays(1), Lease));
        Assert.Equal(DingInboxAddResult.Duplicate, await _inbox.AddAsync(Entry("a")));
    }

    [Fact]
    public async Task Fail_with_a_next_attempt_makes_the_entry_due_then_and_records_the_error()
    {
        await _inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await _inbox.ClaimAsync(1, T0, Lease));
        await _inbox.FailAsync(claimed.Id, "Handlers.OnAdd: System.InvalidOperationException: boom", T0.AddSeconds(10), T0);

        Assert.Empty(await _inbox.ClaimAsync(1, T0.AddSeconds(9), Lease));
        var failed = Assert.Single(await _inbox.ListAsync(DingInboxState.Failed, 10));
        Assert.Equal("Handlers.OnAdd: System.InvalidOperationException: boom", failed.LastError);
        Assert.Equal(T0.AddSeconds(10), failed.NextAttemptAt);

        var again = Assert.Single(await _inbox.ClaimAsync(1, T0.AddSeconds(10), Lease));
        Assert.Equal(2, again.Attempts);
    }

    [Fact]
    public async Task Fail_without_a_next_attempt_dead_letters_and_retry_brings_it_back_with_a_fresh_count()
    {
        await _inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await _inbox.ClaimAsync(1, T0, Lease));
        await _inbox.FailAsync(claimed.Id, "X: Y: z", null, T0);

        var dead = Assert.Single(await _inbox.ListAsync(DingInboxState.Dead, 10));
        Assert.Equal("X: Y: z", dead.LastError);
        Assert.Empty(await _inbox.ClaimAsync(10, T0.AddDays(1), Lease));
        Assert.Equal(new DingInboxStats(0, 1, null), await _inbox.GetStatsAsync());

        Assert.True(await _inbox.RetryAsync(dead.Id, T0.AddHours(1)));
        var retried = Assert.Single(await _inbox.ClaimAsync(10, T0.AddHours(1), Lease));
        Assert.Equal(1, retried.Attempts);
        Assert.False(await _inbox.RetryAsync(dead.Id + 1, T0));
    }

    [Fact]
    public async Task Retry_all_dead_and_purge_dead_touch_only_dead_entries()
    {
        foreach (var id in new[] { "d1", "d2", "p", "done" })
        {
            await _inbox.AddAsync(Entry(id));
        }

        foreach (var record in await _inbox.ClaimAsync(10, T0, Lease))
        {
            switch (record.Entry.EventId)
            {
                case "done":
                    await _inbox.CompleteAsync(record.Id, T0);
                    break;
                case "p":
                    await _inbox.FailAsync(record.Id, "e", T0.AddMinutes(1), T0);
                    break;
                default:
                    await _inbox.FailAsync(record.Id, "e", null, T0);
                    break;
            }
        }

        Assert.False(await _inbox.RetryAsync((await _inbox.ListAsync(DingInboxState.Done, 1))[0].Id, T0));
        Assert.Equal(2, await _inbox.RetryAllDeadAsync(T0));
        Assert.Empty(await _inbox.ListAsync(DingInboxState.Dead, 10));
        foreach (var record in await _inbox.ClaimAsync(10, T0, Lease))
        {
            await _inbox.FailAsync(record.Id, "e", null, T0);
        }

        Assert.Equal(2, await _inbox.PurgeDeadAsync());
        Assert.Equal(["done", "p"], (await _inbox.ListAsync(null, 10)).Select(static r => r.Entry.EventId).Order());
    }

    [Fact]
    public async Task Purge_done_deletes_only_done_entries_completed_before_the_cutoff()
    {
        await _inbox.AddAsync(Entry("old"));
        await _inbox.AddAsync(Entry("new"));
        await _inbox.AddAsync(Entry("pending"));
        foreach (var record in await _inbox.ClaimAsync(2, T0, Lease))
        {
            await _inbox.CompleteAsync(record.Id, record.Entry.EventId == "old" ? T0 : T0.AddDays(7));
        }

        Assert.Equal(1, await _inbox.PurgeDoneAsync(T0.AddDays(1)));
        Assert.Equal(["new", "pending"], (await _inbox.ListAsync(null, 10)).Select(static r => r.Entry.EventId).Order());

        // After the purge the key is free again: a (very) late redelivery is stored anew.
        Assert.Equal(DingInboxAddResult.Added, await _inbox.AddAsync(Entry("old")));
    }

    [Fact]
    public async Task Stats_count_pending_and_dead_and_name_the_oldest_pending_entry()
    {
        Assert.Equal(new DingInboxStats(0, 0, null), await _inbox.GetStatsAsync());
        await _inbox.AddAsync(Entry("a", receivedAt: T0.AddSeconds(3)));
        await _inbox.AddAsync(Entry("b", receivedAt: T0.AddSeconds(1)));
        Assert.Equal(new DingInboxStats(2, 0, T0.AddSeconds(1)), await _inbox.GetStatsAsync());
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
    public async Task Entries_survive_closing_and_reopening_the_database()
    {
        await _inbox.AddAsync(Entry("a"));
        _inbox.Dispose();
        using var reopened = new SqliteDingInbox(_inbox.Path);
        Assert.Equal("a", Assert.Single(await reopened.ListAsync(null, 10)).Entry.EventId);
        Assert.Equal(DingInboxAddResult.Duplicate, await reopened.AddAsync(Entry("a")));
    }

    [Fact]
    public void Opening_an_existing_database_never_creates_one()
    {
        var missing = _dir.File("missing.db");
        Assert.Throws<FileNotFoundException>(() => SqliteDingInbox.OpenExisting(missing));
        Assert.False(File.Exists(missing));
    }
}
