using System.Collections.Concurrent;
using System.Text;
using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>
/// While the worker keeps up, the intake stores a new entry already leased to it (<see cref="IDingInboxLeasedAdd"/>) and hands it over
/// in memory, so no claim statement is made for it; with a backlog in the store, new entries wait their turn and are claimed.
/// </summary>
public sealed class HandoffTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1717034400000));

    public void Dispose() => _dir.Dispose();

    /// <summary>The SQLite inbox with every optional interface the worker uses, counting claims and what they returned.</summary>
    private sealed class CountingInbox(SqliteDingInbox inner) : ClaimOnlyInbox(inner), IDingInboxLeasedAdd
    {
        private int _claims;
        private int _leasedAdds;

        public int Claims => Volatile.Read(ref _claims);

        public int LeasedAdds => Volatile.Read(ref _leasedAdds);

        /// <summary>The event ids claims returned, in order.</summary>
        public ConcurrentQueue<string> Claimed { get; } = new();

        /// <summary>Runs before each leased add is written (a test closes the hand-over there).</summary>
        public Action? BeforeLeasedAdd { get; set; }

        public override async ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _claims);
            var claimed = await base.ClaimAsync(maxCount, now, leaseDuration, cancellationToken);
            foreach (var record in claimed)
            {
                Claimed.Enqueue(record.Entry.EventId);
            }

            return claimed;
        }

        public ValueTask<DingInboxRecord?> AddLeasedAsync(DingInboxEntry entry, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _leasedAdds);
            BeforeLeasedAdd?.Invoke();
            return Inner.AddLeasedAsync(entry, now, leaseDuration, cancellationToken);
        }
    }

    private async Task PostAsync(CallbackHost host, string eventId) =>
        Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", eventId))).IsSuccessReply);

    private static DingInboxHandoff Handoff(CallbackHost host) => host.Services.GetRequiredService<DingInboxHandoff>();

    /// <summary>Waits until the worker's first claim came back short and it takes entries from the intake.</summary>
    private static Task WaitForRoomAsync(CallbackHost host) => Eventually.TrueAsync(() => Handoff(host).Room > 0, "the worker ready to take entries from the intake");

    /// <summary>A host on <paramref name="inbox"/> whose worker is ready to take entries from the intake.</summary>
    private async Task<CallbackHost> StartReadyAsync(CountingInbox inbox, TestDispatcher dispatcher)
    {
        var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time);
        await WaitForRoomAsync(host);
        return host;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_that_keeps_up_runs_new_entries_handed_over_by_the_intake_without_claiming_them()
    {
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new CountingInbox(sqlite);
        await using var host = await StartReadyAsync(inbox, dispatcher);
        var claims = inbox.Claims;

        for (var i = 0; i < 5; i++)
        {
            await PostAsync(host, "evt-" + i);
            var handled = i + 1;
            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == handled, $"evt-{i} handled");
        }

        // Each entry was stored leased and run from memory: no claim statement since the worker was ready, none returned an entry.
        Assert.Equal(5, inbox.LeasedAdds);
        Assert.Equal(claims, inbox.Claims);
        Assert.Empty(inbox.Claimed);
        await Eventually.TrueAsync(async () => (await sqlite.ListAsync(DingInboxState.Done, 10)).Count == 5, "all five done");
        Assert.All(await sqlite.ListAsync(null, 10), static r => Assert.Equal(1, r.Attempts));
        Assert.Equal(Enumerable.Range(0, 5).Select(static i => "evt-" + i), dispatcher.HandlerRuns.Select(static r => r.EventId));
    }

    [Fact(Timeout = 60_000)]
    public async Task With_a_backlog_in_the_store_a_new_entry_is_stored_unleased_and_runs_after_the_older_ones()
    {
        var dispatcher = TestDispatcher.Default();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Handler = context => context.EventId == "old-0" ? new ValueTask(release.Task.WaitAsync(TimeSpan.FromSeconds(30))) : ValueTask.CompletedTask;
        using var sqlite = new SqliteDingInbox(_dir.File("inbox.db"));

        // Five entries left from before (a restart after an outage), older than anything the intake receives now.
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        for (var i = 0; i < 5; i++)
        {
            var id = "old-" + i;
            await sqlite.AddAsync(new DingInboxEntry
            {
                AppName = "",
                EventType = "user_add_org",
                DedupKey = "user_add_org:" + id,
                EventId = id,
                ReceivedAt = _time.GetUtcNow().AddMinutes(-1).AddSeconds(i),
                Envelope = crypto.Seal(Encoding.UTF8.GetBytes(TestKeys.Event("user_add_org", id)), _time),
            });
        }

        var inbox = new CountingInbox(sqlite);
        await using var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time, ("MaxConcurrency", "1"), ("ClaimBatchSize", "2"));
        try
        {
            // The first claim came back full (old-0, old-1): the worker has a backlog and takes nothing from the intake.
            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 1, "old-0 running");
            Assert.Equal(0, Handoff(host).Room);
            await PostAsync(host, "fresh");
            Assert.Equal(0, inbox.LeasedAdds);
            var stored = Assert.Single(await sqlite.ListAsync(null, 10), static r => r.Entry.EventId == "fresh");
            Assert.Equal(0, stored.Attempts);
            Assert.Null(stored.LeasedUntil);
        }
        finally
        {
            release.TrySetResult();
        }

        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 6, "all six handled");
        Assert.Equal(["old-0", "old-1", "old-2", "old-3", "old-4", "fresh"], dispatcher.HandlerRuns.Select(static r => r.EventId));
        Assert.Contains("fresh", inbox.Claimed);

        // Caught up again (the last claim came back short): the next entry is handed over.
        await WaitForRoomAsync(host);
        await PostAsync(host, "after");
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 7, "the next entry handled");
        Assert.Equal(1, inbox.LeasedAdds);
        Assert.DoesNotContain("after", inbox.Claimed);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_entry_stored_leased_after_the_worker_stopped_taking_entries_is_given_back_and_claimed()
    {
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new CountingInbox(sqlite);
        await using var host = await StartReadyAsync(inbox, dispatcher);

        // The hand-over closes while the leased add is written (as when the host shuts down): the intake releases the lease at once,
        // so the entry does not wait for it to expire.
        inbox.BeforeLeasedAdd = () => Handoff(host).Close();
        await PostAsync(host, "evt-0");

        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 1, "evt-0 handled");
        Assert.Equal(1, inbox.LeasedAdds);
        Assert.Equal(["evt-0"], inbox.Claimed);
        await Eventually.TrueAsync(async () => (await sqlite.ListAsync(DingInboxState.Done, 10)).Count == 1, "evt-0 done");
        var record = Assert.Single(await sqlite.ListAsync(null, 10));
        Assert.Equal(1, record.Attempts);
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_gives_back_handed_over_entries_that_did_not_start()
    {
        var dispatcher = TestDispatcher.Default();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Handler = context => context.EventId == "evt-0" ? new ValueTask(release.Task.WaitAsync(TimeSpan.FromSeconds(30))) : ValueTask.CompletedTask;
        var path = _dir.File("inbox.db");
        var sqlite = new SqliteDingInbox(path);
        var inbox = new CountingInbox(sqlite);
        var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time, ("MaxConcurrency", "1"));
        try
        {
            await WaitForRoomAsync(host);
            for (var i = 0; i < 4; i++)
            {
                await PostAsync(host, "evt-" + i);
            }

            // evt-0 runs; evt-1..3 were handed over and wait in the worker's queue, leased.
            Assert.Equal(4, inbox.LeasedAdds);
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 10)).Count(static r => r.LeasedUntil is not null) == 4, "all four leased");
            var stopping = host.App.StopAsync(CancellationToken.None);
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 10)).Count(static r => r.LeasedUntil is not null) == 1, "the queued entries released");
            release.TrySetResult();
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            release.TrySetResult();
            await host.DisposeAsync();
        }

        Assert.Equal(["evt-0"], dispatcher.HandlerRuns.Select(static r => r.EventId));
        var records = await sqlite.ListAsync(null, 10);
        Assert.Equal(DingInboxState.Done, records.Single(static r => r.Entry.EventId == "evt-0").State);
        foreach (var queued in records.Where(static r => r.Entry.EventId != "evt-0"))
        {
            // Given back as if never handed over: due at once for the next start, the attempt undone.
            Assert.Equal(DingInboxState.Pending, queued.State);
            Assert.Null(queued.LeasedUntil);
            Assert.Equal(0, queued.Attempts);
        }

        sqlite.Dispose();
    }

    [Fact]
    public void The_hand_over_holds_at_most_the_room_the_worker_offers_and_nothing_once_closed()
    {
        var handoff = new DingInboxHandoff();
        Assert.False(handoff.TryReserve());

        handoff.SetRoom(2);
        Assert.True(handoff.TryReserve());
        Assert.True(handoff.TryReserve());
        Assert.False(handoff.TryReserve());
        handoff.Unreserve();
        Assert.True(handoff.TryReserve());

        static DingInboxRecord Record(long id) => new() { Id = id, Entry = InboxContractTests.Entry("e" + id), State = DingInboxState.Pending, Attempts = 1 };
        var record = Record(7);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
        Assert.True(handoff.TryPost(record, at));
        Assert.True(handoff.TryTake(out var taken));
        Assert.Same(record, taken.Record);
        Assert.Equal(at, taken.LeasedAt);
        Assert.False(handoff.TryTake(out _));

        // The taken entry used one slot of the room; the other reservation is still being written.
        Assert.Equal(1, handoff.Room);
        Assert.Equal(1, handoff.Reserved);
        Assert.False(handoff.TryReserve());

        // Closed (the worker stopped) with one entry posted and not taken, one still being written: the first comes back to be
        // released, the second's hand-over fails (its writer releases it), and nothing more is accepted.
        handoff.SetRoom(3);
        Assert.True(handoff.TryReserve());
        var posted = Record(8);
        Assert.True(handoff.TryPost(posted, at));
        Assert.Equal([posted], handoff.Close().Select(static e => e.Record));
        Assert.False(handoff.TryPost(Record(9), at));
        handoff.SetRoom(5);
        Assert.Equal(0, handoff.Room);
        Assert.False(handoff.TryReserve());
        Assert.Equal(0, handoff.Reserved);
    }
}
