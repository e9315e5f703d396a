using System.Collections.Concurrent;

namespace DingGen.Inbox.Tests;

/// <summary>
/// The inbox contract (<see cref="IDingInbox"/>, <see cref="IDingInboxAdmin"/>, docs/inbox.md), once, for every store: a store proves
/// itself by a subclass of a few lines that opens it. A second handle on the same storage stands for another process or replica.
/// </summary>
public abstract class InboxContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly List<IAsyncDisposable> _opened = [];
    private Store? _store;

    /// <summary>The first handle on the store under test.</summary>
    protected IDingInbox Inbox => (_store ?? throw new InvalidOperationException("not initialised")).Inbox;

    protected IDingInboxAdmin Admin => _store!.Admin;

    /// <summary>Opens a handle on this test's storage (created on the first call); the base class disposes it.</summary>
    protected abstract ValueTask<Store> OpenAsync();

    /// <summary>Removes this test's storage after every handle was disposed.</summary>
    protected abstract ValueTask DeleteStorageAsync();

    public async Task InitializeAsync() => _store = await OpenTrackedAsync();

    public async Task DisposeAsync()
    {
        await CloseAllAsync();
        await DeleteStorageAsync();
    }

    protected async ValueTask<Store> OpenTrackedAsync()
    {
        var store = await OpenAsync();
        _opened.Add(store.Handle);
        return store;
    }

    /// <summary>Closes every handle (a crash or restart of every process).</summary>
    protected async ValueTask CloseAllAsync()
    {
        foreach (var handle in _opened)
        {
            await handle.DisposeAsync();
        }

        _opened.Clear();
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
        Assert.Equal(DingInboxAddResult.Added, await Inbox.AddAsync(Entry("e1")));
        Assert.Equal(DingInboxAddResult.Duplicate, await Inbox.AddAsync(Entry("e1")));

        var record = Assert.Single(await Admin.ListAsync(null, 10));
        Assert.Equal(DingInboxState.Pending, record.State);
        Assert.Equal(0, record.Attempts);
        Assert.Equal("user_add_org:e1", record.Entry.DedupKey);
        Assert.Equal("e1", record.Entry.EventId);
        Assert.Equal("user_add_org", record.Entry.EventType);
        Assert.Equal(DingDeliveryChannel.HttpPush, record.Entry.Channel);
        Assert.Equal("dingcorp0001", record.Entry.CorpId);
        Assert.Equal(T0, record.Entry.ReceivedAt);
        Assert.Equal(T0, record.NextAttemptAt);
        Assert.Null(record.LeasedUntil);
        Assert.Null(record.CompletedAt);
        Assert.Null(record.LastError);
        Assert.Equal(new DingSealedMessage("sig-e1", "1717034400000", "nonce123", "ENCRYPTED-e1"), record.Entry.Envelope);
        Assert.Equal(record.Id, (await Admin.GetAsync(record.Id))!.Id);
        Assert.Null(await Admin.GetAsync(record.Id + 100));
    }

    [Fact]
    public async Task A_stream_entry_without_a_corp_id_reads_back_with_its_channel_and_no_corp_id()
    {
        var entry = new DingInboxEntry
        {
            AppName = "hr",
            Channel = DingDeliveryChannel.Stream,
            EventType = "user_leave_org",
            DedupKey = "user_leave_org:s1",
            EventId = "s1",
            ReceivedAt = T0,
            Envelope = new DingSealedMessage("sig", "1717034400000", "n", "C"),
        };
        await Inbox.AddAsync(entry);
        var record = Assert.Single(await Admin.ListAsync(null, 10));
        Assert.Equal(DingDeliveryChannel.Stream, record.Entry.Channel);
        Assert.Null(record.Entry.CorpId);
        Assert.Equal("hr", record.Entry.AppName);
    }

    [Fact]
    public async Task The_same_key_for_another_app_is_a_different_entry()
    {
        Assert.Equal(DingInboxAddResult.Added, await Inbox.AddAsync(Entry("e1", app: "")));
        Assert.Equal(DingInboxAddResult.Added, await Inbox.AddAsync(Entry("e1", app: "hr")));
        Assert.Equal(2, (await Admin.ListAsync(null, 10)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_adds_of_one_key_from_two_handles_store_one_row()
    {
        var second = (await OpenTrackedAsync()).Inbox;
        var tasks = new List<Task<DingInboxAddResult>>();
        for (var i = 0; i < 50; i++)
        {
            var id = "k" + (i % 10);
            var target = i % 2 == 0 ? Inbox : second;
            tasks.Add(Task.Run(async () => await target.AddAsync(Entry(id))));
        }

        var results = await Task.WhenAll(tasks);
        Assert.Equal(10, results.Count(static r => r == DingInboxAddResult.Added));
        Assert.Equal(40, results.Count(static r => r == DingInboxAddResult.Duplicate));
        Assert.Equal(10, (await Admin.ListAsync(null, 100)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_adds_are_committed_and_each_gets_its_own_answer()
    {
        var adds = Enumerable.Range(0, 200).Select(i => Inbox.AddAsync(Entry("batch-" + (i % 100))).AsTask()).ToArray();
        var results = await Task.WhenAll(adds);

        Assert.Equal(100, results.Count(static r => r == DingInboxAddResult.Added));
        Assert.Equal(100, results.Count(static r => r == DingInboxAddResult.Duplicate));
        Assert.Equal(100, (await Admin.ListAsync(null, 1_000)).Count);
    }

    [Fact]
    public async Task Claim_leases_due_entries_oldest_first_counts_the_attempt_and_hides_them_until_the_lease_expires()
    {
        await Inbox.AddAsync(Entry("a", receivedAt: T0));
        await Inbox.AddAsync(Entry("b", receivedAt: T0.AddSeconds(1)));
        await Inbox.AddAsync(Entry("c", receivedAt: T0.AddSeconds(2)));

        var first = await Inbox.ClaimAsync(2, T0.AddSeconds(5), Lease);
        Assert.Equal(["a", "b"], first.Select(static r => r.Entry.EventId));
        Assert.All(first, static r => Assert.Equal(1, r.Attempts));
        Assert.All(first, r => Assert.Equal(T0.AddSeconds(5) + Lease, r.LeasedUntil));

        var second = await Inbox.ClaimAsync(10, T0.AddSeconds(6), Lease);
        Assert.Equal(["c"], second.Select(static r => r.Entry.EventId));
        Assert.Empty(await Inbox.ClaimAsync(10, T0.AddSeconds(7), Lease));

        // The worker that held a and b died: once the lease expired they are due again, as attempt 2.
        var reclaimed = await Inbox.ClaimAsync(10, T0.AddSeconds(5) + Lease, Lease);
        Assert.Equal(["a", "b"], reclaimed.Select(static r => r.Entry.EventId));
        Assert.All(reclaimed, static r => Assert.Equal(2, r.Attempts));
    }

    [Fact]
    public async Task An_expired_lease_makes_the_entry_due_on_another_handle()
    {
        await Inbox.AddAsync(Entry("a"));
        Assert.Single(await Inbox.ClaimAsync(10, T0, Lease));

        var other = (await OpenTrackedAsync()).Inbox;
        Assert.Empty(await other.ClaimAsync(10, T0 + Lease - TimeSpan.FromMilliseconds(1), Lease));
        var taken = Assert.Single(await other.ClaimAsync(10, T0 + Lease, Lease));
        Assert.Equal(2, taken.Attempts);
        await other.CompleteAsync(taken.Id, T0 + Lease);
        Assert.Equal(DingInboxState.Done, (await Admin.GetAsync(taken.Id))!.State);
    }

    [Fact]
    public async Task Release_gives_back_unstarted_claims_but_never_one_another_handle_claimed_since_or_one_finished()
    {
        // The worker claims in batches; entries it never started go back through IDingInboxLeaseRelease (both stores implement it).
        await Inbox.AddAsync(Entry("a", receivedAt: T0));
        await Inbox.AddAsync(Entry("b", receivedAt: T0.AddSeconds(1)));
        await Inbox.AddAsync(Entry("c", receivedAt: T0.AddSeconds(2)));
        var release = Assert.IsAssignableFrom<IDingInboxLeaseRelease>(Inbox);
        var claimed = await Inbox.ClaimAsync(10, T0.AddSeconds(5), Lease);
        Assert.Equal(["a", "b", "c"], claimed.Select(static r => r.Entry.EventId));

        // c finished; the lease of a and b expired and another handle claimed a (attempt 2) before the first gave its batch back.
        await Inbox.CompleteAsync(claimed[2].Id, T0.AddSeconds(6));
        var other = (await OpenTrackedAsync()).Inbox;
        var taken = Assert.Single(await other.ClaimAsync(1, T0.AddSeconds(5) + Lease, Lease));
        Assert.Equal("a", taken.Entry.EventId);

        Assert.Equal(1, await release.ReleaseAsync(claimed));
        var a = (await Admin.GetAsync(claimed[0].Id))!;
        Assert.Equal(2, a.Attempts);
        Assert.Equal(taken.LeasedUntil, a.LeasedUntil);
        var b = (await Admin.GetAsync(claimed[1].Id))!;
        Assert.Equal(DingInboxState.Pending, b.State);
        Assert.Equal(0, b.Attempts);
        Assert.Null(b.LeasedUntil);
        Assert.Equal(DingInboxState.Done, (await Admin.GetAsync(claimed[2].Id))!.State);

        // b is due at once (not when the old lease would have ended), as attempt 1; releasing the stale batch again changes nothing.
        var again = Assert.Single(await Inbox.ClaimAsync(10, T0.AddSeconds(7), Lease));
        Assert.Equal("b", again.Entry.EventId);
        Assert.Equal(1, again.Attempts);
        Assert.Equal(0, await release.ReleaseAsync(claimed));
        Assert.Equal(0, await release.ReleaseAsync([]));
    }

    [Fact]
    public async Task A_leased_add_stores_the_entry_as_a_claim_leaves_it_and_no_claim_takes_it_before_the_lease_expires()
    {
        // The intake hands entries to a worker that keeps up already leased (IDingInboxLeasedAdd, both stores implement it).
        var leasedAdd = Assert.IsAssignableFrom<IDingInboxLeasedAdd>(Inbox);
        var release = Assert.IsAssignableFrom<IDingInboxLeaseRelease>(Inbox);
        var at = T0.AddSeconds(1);
        var record = await leasedAdd.AddLeasedAsync(Entry("a", receivedAt: T0), at, Lease);

        Assert.NotNull(record);
        Assert.Equal("user_add_org:a", record.Entry.DedupKey);
        Assert.Equal(DingInboxState.Pending, record.State);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(at + Lease, record.LeasedUntil);
        Assert.Equal(T0, record.NextAttemptAt);

        // Stored as the record says (a release matches on attempts and lease), and unique like any add.
        var stored = (await Admin.GetAsync(record.Id))!;
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(record.LeasedUntil, stored.LeasedUntil);
        Assert.Equal(record.Entry.Envelope, stored.Entry.Envelope);
        Assert.Null(await leasedAdd.AddLeasedAsync(Entry("a", receivedAt: T0), at, Lease));
        Assert.Equal(DingInboxAddResult.Duplicate, await Inbox.AddAsync(Entry("a")));
        Assert.Equal(1, (await Inbox.GetStatsAsync()).Pending);

        // Another handle claims it only once the lease expired (the receiving process died), as attempt 2.
        await Inbox.AddAsync(Entry("b", receivedAt: T0));
        var other = (await OpenTrackedAsync()).Inbox;
        Assert.Equal(["b"], (await other.ClaimAsync(10, at + Lease - TimeSpan.FromMilliseconds(1), Lease)).Select(static r => r.Entry.EventId));
        var taken = Assert.Single(await other.ClaimAsync(10, at + Lease, Lease));
        Assert.Equal("a", taken.Entry.EventId);
        Assert.Equal(2, taken.Attempts);

        // Released like a claimed entry: only under the lease the add made, so the stale record no longer releases anything.
        Assert.Equal(0, await release.ReleaseAsync([record]));
        var c = (await leasedAdd.AddLeasedAsync(Entry("c", receivedAt: T0), at, Lease))!;
        Assert.Equal(1, await release.ReleaseAsync([c]));
        var released = (await Admin.GetAsync(c.Id))!;
        Assert.Equal(0, released.Attempts);
        Assert.Null(released.LeasedUntil);
        Assert.Equal(["c"], (await Inbox.ClaimAsync(10, at, Lease)).Select(static r => r.Entry.EventId));
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_leased_and_plain_adds_of_one_key_store_one_row_and_only_the_stored_one_is_leased()
    {
        var leasedAdd = Assert.IsAssignableFrom<IDingInboxLeasedAdd>(Inbox);
        var other = (await OpenTrackedAsync()).Inbox;
        var leased = Enumerable.Range(0, 50).Select(i => leasedAdd.AddLeasedAsync(Entry("k" + i), T0, Lease).AsTask()).ToArray();
        var plain = Enumerable.Range(0, 50).Select(i => other.AddAsync(Entry("k" + i)).AsTask()).ToArray();
        var leasedResults = await Task.WhenAll(leased);
        var plainResults = await Task.WhenAll(plain);

        var rows = await Admin.ListAsync(null, 1_000);
        Assert.Equal(50, rows.Count);
        for (var i = 0; i < 50; i++)
        {
            var row = rows.Single(r => r.Entry.EventId == "k" + i);
            var won = leasedResults[i];

            // Exactly one of the two adds stored the key; the row is leased exactly when the leased add was the one.
            Assert.Equal(won is null, plainResults[i] == DingInboxAddResult.Added);
            Assert.Equal(won?.Id, won is null ? null : row.Id);
            Assert.Equal(won is null ? 0 : 1, row.Attempts);
            Assert.Equal(won?.LeasedUntil, row.LeasedUntil);
        }
    }

    [Fact]
    public async Task Batch_completion_marks_every_listed_entry_done_and_no_other()
    {
        // The worker writes the completions of entries that finished together in one call (both stores implement it).
        for (var i = 0; i < 5; i++)
        {
            await Inbox.AddAsync(Entry("e" + i, receivedAt: T0.AddSeconds(i)));
        }

        var batch = Assert.IsAssignableFrom<IDingInboxBatchCompletion>(Inbox);
        var claimed = await Inbox.ClaimAsync(10, T0.AddSeconds(10), Lease);
        Assert.Equal(5, claimed.Count);

        await batch.CompleteAsync([claimed[0].Id, claimed[2].Id, claimed[4].Id], T0.AddSeconds(11));
        await batch.CompleteAsync([], T0.AddSeconds(11));

        for (var i = 0; i < 5; i++)
        {
            var record = (await Admin.GetAsync(claimed[i].Id))!;
            Assert.Equal(i % 2 == 0 ? DingInboxState.Done : DingInboxState.Pending, record.State);
            if (i % 2 == 0)
            {
                Assert.Null(record.LeasedUntil);
                Assert.Equal(T0.AddSeconds(11), record.CompletedAt);
            }
        }

        var stats = await Inbox.GetStatsAsync();
        Assert.Equal(2L, stats.Pending);
        Assert.Equal(3L, stats.Done);
    }

    [Fact(Timeout = 120_000)]
    public async Task Concurrent_claimers_on_several_handles_each_get_every_entry_exactly_once()
    {
        const int Count = 300;
        for (var i = 0; i < Count; i++)
        {
            await Inbox.AddAsync(Entry("x" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var handles = new List<IDingInbox> { Inbox, (await OpenTrackedAsync()).Inbox, (await OpenTrackedAsync()).Inbox };
        var claims = new ConcurrentBag<long>();
        var workers = Enumerable.Range(0, 9).Select(w => Task.Run(async () =>
        {
            var inbox = handles[w % handles.Count];
            while (true)
            {
                var claimed = await inbox.ClaimAsync(7, T0.AddSeconds(1), Lease);
                if (claimed.Count == 0)
                {
                    return;
                }

                foreach (var record in claimed)
                {
                    Assert.Equal(1, record.Attempts);
                    claims.Add(record.Id);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(Count, claims.Count);
        Assert.Equal(Count, claims.Distinct().Count());
    }

    [Fact]
    public async Task An_entry_received_in_the_future_of_the_claim_is_not_due()
    {
        await Inbox.AddAsync(Entry("later", receivedAt: T0.AddMinutes(1)));
        Assert.Empty(await Inbox.ClaimAsync(10, T0, Lease));
        Assert.Single(await Inbox.ClaimAsync(10, T0.AddMinutes(1), Lease));
    }

    [Fact]
    public async Task Complete_marks_done_keeps_the_key_for_deduplication_and_is_never_claimed_again()
    {
        await Inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await Inbox.ClaimAsync(1, T0, Lease));
        await Inbox.CompleteAsync(claimed.Id, T0.AddSeconds(1));

        var record = (await Admin.GetAsync(claimed.Id))!;
        Assert.Equal(DingInboxState.Done, record.State);
        Assert.Equal(T0.AddSeconds(1), record.CompletedAt);
        Assert.Null(record.LeasedUntil);
        Assert.Null(record.NextAttemptAt);
        Assert.Empty(await Inbox.ClaimAsync(10, T0.AddDays(1), Lease));
        Assert.Equal(DingInboxAddResult.Duplicate, await Inbox.AddAsync(Entry("a")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_completions_each_mark_their_own_entry_done()
    {
        for (var i = 0; i < 60; i++)
        {
            await Inbox.AddAsync(Entry("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var claimed = await Inbox.ClaimAsync(50, T0, Lease);
        Assert.Equal(50, claimed.Count);
        await Task.WhenAll(claimed.Select(r => Task.Run(async () => await Inbox.CompleteAsync(r.Id, T0.AddSeconds(r.Id % 5)))));

        var done = await Admin.ListAsync(DingInboxState.Done, 100);
        Assert.Equal(claimed.Select(static r => r.Id).Order(), done.Select(static r => r.Id).Order());
        Assert.All(done, static r => Assert.Equal(T0.AddSeconds(r.Id % 5), r.CompletedAt));
        Assert.Equal(10, (await Admin.ListAsync(DingInboxState.Pending, 100)).Count);
    }

    [Fact]
    public async Task Fail_with_a_next_attempt_makes_the_entry_due_then_and_records_the_error()
    {
        await Inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await Inbox.ClaimAsync(1, T0, Lease));
        await Inbox.FailAsync(claimed.Id, "Handlers.OnAdd: System.InvalidOperationException: boom", T0.AddSeconds(10), T0);

        Assert.Empty(await Inbox.ClaimAsync(1, T0.AddSeconds(9), Lease));
        var failed = Assert.Single(await Admin.ListAsync(DingInboxState.Failed, 10));
        Assert.Equal("Handlers.OnAdd: System.InvalidOperationException: boom", failed.LastError);
        Assert.Equal(T0.AddSeconds(10), failed.NextAttemptAt);
        Assert.Null(failed.LeasedUntil);
        Assert.Equal(DingInboxState.Pending, failed.State);

        var again = Assert.Single(await Inbox.ClaimAsync(1, T0.AddSeconds(10), Lease));
        Assert.Equal(2, again.Attempts);
    }

    [Fact]
    public async Task Fail_without_a_next_attempt_dead_letters_and_retry_brings_it_back_with_a_fresh_count()
    {
        await Inbox.AddAsync(Entry("a"));
        var claimed = Assert.Single(await Inbox.ClaimAsync(1, T0, Lease));
        await Inbox.FailAsync(claimed.Id, "X: Y: z", null, T0);

        var dead = Assert.Single(await Admin.ListAsync(DingInboxState.Dead, 10));
        Assert.Equal("X: Y: z", dead.LastError);
        Assert.Empty(await Inbox.ClaimAsync(10, T0.AddDays(1), Lease));
        Assert.Equal(new DingInboxStats(0, 1, null) { Done = 0 }, await Inbox.GetStatsAsync());

        // A dead entry is not moved by a late failure report of another worker.
        await Inbox.FailAsync(claimed.Id, "late", T0.AddSeconds(1), T0);
        Assert.Equal(DingInboxState.Dead, (await Admin.GetAsync(dead.Id))!.State);

        Assert.True(await Admin.RetryAsync(dead.Id, T0.AddHours(1)));
        var retried = Assert.Single(await Inbox.ClaimAsync(10, T0.AddHours(1), Lease));
        Assert.Equal(1, retried.Attempts);
        Assert.False(await Admin.RetryAsync(dead.Id + 1, T0));
    }

    [Fact]
    public async Task Retry_all_dead_and_purge_dead_touch_only_dead_entries()
    {
        foreach (var id in new[] { "d1", "d2", "p", "done" })
        {
            await Inbox.AddAsync(Entry(id));
        }

        foreach (var record in await Inbox.ClaimAsync(10, T0, Lease))
        {
            switch (record.Entry.EventId)
            {
                case "done":
                    await Inbox.CompleteAsync(record.Id, T0);
                    break;
                case "p":
                    await Inbox.FailAsync(record.Id, "e", T0.AddMinutes(1), T0);
                    break;
                default:
                    await Inbox.FailAsync(record.Id, "e", null, T0);
                    break;
            }
        }

        Assert.False(await Admin.RetryAsync((await Admin.ListAsync(DingInboxState.Done, 1))[0].Id, T0));
        Assert.Equal(2, await Admin.RetryAllDeadAsync(T0));
        Assert.Empty(await Admin.ListAsync(DingInboxState.Dead, 10));
        foreach (var record in await Inbox.ClaimAsync(10, T0, Lease))
        {
            await Inbox.FailAsync(record.Id, "e", null, T0);
        }

        Assert.Equal(2, await Admin.PurgeDeadAsync());
        Assert.Equal(["done", "p"], (await Admin.ListAsync(null, 10)).Select(static r => r.Entry.EventId).Order());
    }

    [Fact]
    public async Task List_is_newest_first_and_honours_the_state_filter_and_the_limit()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await Inbox.AddAsync(Entry(id));
        }

        Assert.Equal(["c", "b", "a"], (await Admin.ListAsync(null, 10)).Select(static r => r.Entry.EventId));
        Assert.Equal(["c", "b"], (await Admin.ListAsync(DingInboxState.Pending, 2)).Select(static r => r.Entry.EventId));
        Assert.Empty(await Admin.ListAsync(DingInboxState.Done, 10));
        Assert.Empty(await Admin.ListAsync(DingInboxState.Failed, 10));
    }

    [Fact]
    public async Task Purge_done_deletes_only_done_entries_completed_before_the_cutoff()
    {
        await Inbox.AddAsync(Entry("old"));
        await Inbox.AddAsync(Entry("new"));
        await Inbox.AddAsync(Entry("pending"));
        foreach (var record in await Inbox.ClaimAsync(2, T0, Lease))
        {
            await Inbox.CompleteAsync(record.Id, record.Entry.EventId == "old" ? T0 : T0.AddDays(7));
        }

        Assert.Equal(1, await Inbox.PurgeDoneAsync(T0.AddDays(1)));
        Assert.Equal(["new", "pending"], (await Admin.ListAsync(null, 10)).Select(static r => r.Entry.EventId).Order());

        // After the purge the key is free again: a (very) late redelivery is stored anew.
        Assert.Equal(DingInboxAddResult.Added, await Inbox.AddAsync(Entry("old")));
    }

    [Fact]
    public async Task Purge_done_deletes_every_expired_entry_and_nothing_else_also_when_a_store_deletes_in_chunks()
    {
        // Eight done before the cutoff (more than two chunks of the SQLite subclass's store), two done after it, one pending and one dead.
        for (var i = 0; i < 12; i++)
        {
            await Inbox.AddAsync(Entry("e" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var claimed = (await Inbox.ClaimAsync(11, T0, Lease)).OrderBy(static r => r.Entry.EventId, StringComparer.Ordinal).ToList();
        for (var i = 0; i < 10; i++)
        {
            await Inbox.CompleteAsync(claimed[i].Id, i < 8 ? T0.AddMinutes(i) : T0.AddDays(7));
        }

        await Inbox.FailAsync(claimed[10].Id, "e", null, T0);

        Assert.Equal(8, await Inbox.PurgeDoneAsync(T0.AddDays(1)));
        Assert.Equal(["e08", "e09", "e10", "e11"], (await Admin.ListAsync(null, 20)).Select(static r => r.Entry.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(0, await Inbox.PurgeDoneAsync(T0.AddDays(1)));
    }

    [Fact]
    public async Task Stats_count_pending_dead_and_done_and_name_the_oldest_pending_entry()
    {
        Assert.Equal(new DingInboxStats(0, 0, null) { Done = 0 }, await Inbox.GetStatsAsync());
        await Inbox.AddAsync(Entry("a", receivedAt: T0.AddSeconds(3)));
        await Inbox.AddAsync(Entry("b", receivedAt: T0.AddSeconds(1)));
        await Inbox.AddAsync(Entry("c", receivedAt: T0.AddSeconds(4)));
        Assert.Equal(new DingInboxStats(3, 0, T0.AddSeconds(1)) { Done = 0 }, await Inbox.GetStatsAsync());

        var claimed = await Inbox.ClaimAsync(1, T0.AddSeconds(5), Lease);
        await Inbox.CompleteAsync(claimed[0].Id, T0.AddSeconds(5));
        Assert.Equal(new DingInboxStats(2, 0, T0.AddSeconds(3)) { Done = 1 }, await Inbox.GetStatsAsync());

        var last = await Inbox.ClaimAsync(1, T0.AddSeconds(6), Lease);
        await Inbox.FailAsync(last[0].Id, "e", null, T0.AddSeconds(6));
        Assert.Equal(new DingInboxStats(1, 1, T0.AddSeconds(4)) { Done = 1 }, await Inbox.GetStatsAsync());
    }

    [Fact]
    public async Task Purge_dead_by_id_deletes_that_dead_letter_only_and_leaves_pending_and_done_entries()
    {
        foreach (var id in new[] { "d1", "d2", "p", "done" })
        {
            await Inbox.AddAsync(Entry(id));
        }

        var ids = new Dictionary<string, long>();
        foreach (var record in await Inbox.ClaimAsync(10, T0, Lease))
        {
            ids[record.Entry.EventId] = record.Id;
            switch (record.Entry.EventId)
            {
                case "done":
                    await Inbox.CompleteAsync(record.Id, T0);
                    break;
                case "p":
                    await Inbox.FailAsync(record.Id, "e", T0.AddMinutes(1), T0);
                    break;
                default:
                    await Inbox.FailAsync(record.Id, "e", null, T0);
                    break;
            }
        }

        Assert.False(await Admin.PurgeDeadAsync(ids["p"]));
        Assert.False(await Admin.PurgeDeadAsync(ids["done"]));
        Assert.False(await Admin.PurgeDeadAsync(ids.Values.Max() + 1));
        Assert.True(await Admin.PurgeDeadAsync(ids["d1"]));
        Assert.False(await Admin.PurgeDeadAsync(ids["d1"]));
        Assert.Equal(["d2", "done", "p"], (await Admin.ListAsync(null, 10)).Select(static r => r.Entry.EventId).Order());

        // Its key went with it: a later redelivery is stored again.
        Assert.Equal(DingInboxAddResult.Added, await Inbox.AddAsync(Entry("d1")));
        Assert.Equal(DingInboxAddResult.Duplicate, await Inbox.AddAsync(Entry("d2")));
    }

    [Fact]
    public async Task Entries_survive_closing_and_reopening_the_store()
    {
        await Inbox.AddAsync(Entry("a"));
        await CloseAllAsync();
        var reopened = (await OpenTrackedAsync()).Inbox;
        var admin = (IDingInboxAdmin)reopened;
        Assert.Equal("a", Assert.Single(await admin.ListAsync(null, 10)).Entry.EventId);
        Assert.Equal(DingInboxAddResult.Duplicate, await reopened.AddAsync(Entry("a")));
    }

    /// <summary>A handle on the store under test.</summary>
    protected sealed record Store(IDingInbox Inbox, IDingInboxAdmin Admin, IAsyncDisposable Handle);
}
