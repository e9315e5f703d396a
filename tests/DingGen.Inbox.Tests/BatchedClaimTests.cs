using System.Collections.Concurrent;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>
/// The worker claims entries in batches (Inbox:ClaimBatchSize) into a local queue: more than its free slots, run with at most
/// MaxConcurrency in flight; a queued entry whose lease ran (nearly) out is not run; shutdown gives queued entries back.
/// </summary>
public sealed class BatchedClaimTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1717034400000));

    public void Dispose() => _dir.Dispose();

    /// <summary>A handler that blocks every event until the test opens its gate, and tracks how many run at once.</summary>
    private sealed class GatedHandler
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
        private int _running;
        private int _maxRunning;

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        private TaskCompletionSource Gate(string id) => _gates.GetOrAdd(id, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        private TaskCompletionSource Started(string id) => _started.GetOrAdd(id, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Open(string id) => Gate(id).TrySetResult();

        public void OpenAll()
        {
            foreach (var id in Enumerable.Range(0, 20).Select(static i => "evt-" + i))
            {
                Open(id);
            }
        }

        public Task WaitStartedAsync(string id) => Started(id).Task.WaitAsync(TimeSpan.FromSeconds(15));

        public async ValueTask RunAsync(DingEventContext context)
        {
            var running = Interlocked.Increment(ref _running);
            int max;
            while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
            {
            }

            Started(context.EventId).TrySetResult();
            try
            {
                await Gate(context.EventId).Task;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>
    /// A host whose entries all reach the worker through claims (<see cref="ClaimOnlyInbox"/>): what these tests watch. A store with
    /// <see cref="IDingInboxLeasedAdd"/> takes that path only while the worker has a backlog (HandoffTests).
    /// </summary>
    private Task<CallbackHost> StartClaimOnlyAsync(Sqlite.SqliteDingInbox sqlite, TestDispatcher dispatcher, params (string Key, string Value)[] settings) =>
        InboxHost.StartWithStoreAsync(new ClaimOnlyInbox(sqlite), sqlite.Path, dispatcher, _time, settings);

    private async Task PostAsync(CallbackHost host, string eventId) =>
        Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", eventId))).IsSuccessReply);

    /// <summary>Posts evt-0, waits until its (gated) handler runs, then posts evt-1 … evt-(count-1) behind it.</summary>
    private async Task PostWhileTheFirstRunsAsync(CallbackHost host, GatedHandler handler, int count)
    {
        await PostAsync(host, "evt-0");
        await handler.WaitStartedAsync("evt-0");
        for (var i = 1; i < count; i++)
        {
            await PostAsync(host, "evt-" + i);
        }
    }

    private static string[] Runs(TestDispatcher dispatcher) => dispatcher.HandlerRuns.Select(static r => r.EventId).Order(StringComparer.Ordinal).ToArray();

    [Fact(Timeout = 60_000)]
    public async Task A_batch_larger_than_the_free_slots_is_claimed_at_once_and_run_with_at_most_MaxConcurrency_in_flight()
    {
        var handler = new GatedHandler();
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = handler.RunAsync;
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        await using var host = await StartClaimOnlyAsync(sqlite, dispatcher, ("MaxConcurrency", "2"), ("ClaimBatchSize", "64"));
        try
        {
            // Both slots busy: entries 2..9 arrive while the worker has no free slot, so it claims none of them yet.
            await PostAsync(host, "evt-0");
            await handler.WaitStartedAsync("evt-0");
            await PostAsync(host, "evt-1");
            await handler.WaitStartedAsync("evt-1");
            for (var i = 2; i < 10; i++)
            {
                await PostAsync(host, "evt-" + i);
            }

            Assert.All((await sqlite.ListAsync(null, 100)).Where(static r => r.Entry.EventId is not ("evt-0" or "evt-1")), static r => Assert.Equal(0, r.Attempts));

            // One slot frees: one claim takes all eight due entries (more than the one free slot) and starts one of them.
            handler.Open("evt-0");
            await handler.WaitStartedAsync("evt-2");
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).Count(static r => r.LeasedUntil is not null) == 9, "evt-1 and the eight claimed entries leased");
            var records = await sqlite.ListAsync(null, 100);
            Assert.All(records.Where(static r => r.Entry.EventId is not ("evt-0" or "evt-1")), static r => Assert.Equal(1, r.Attempts));
            Assert.Equal(["evt-0", "evt-1", "evt-2"], Runs(dispatcher));
            Assert.True(handler.MaxRunning <= 2, $"at most MaxConcurrency (2) handlers ran at once, saw {handler.MaxRunning}");

            handler.OpenAll();
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).All(static r => r.State == DingInboxState.Done), "all ten done");
            Assert.Equal(Enumerable.Range(0, 10).Select(static i => "evt-" + i).Order(StringComparer.Ordinal), Runs(dispatcher));
            Assert.All(await sqlite.ListAsync(null, 100), static r => Assert.Equal(1, r.Attempts));
            Assert.True(handler.MaxRunning <= 2, $"at most MaxConcurrency (2) handlers ran at once, saw {handler.MaxRunning}");
        }
        finally
        {
            handler.OpenAll();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_next_batch_is_claimed_while_the_last_entries_of_a_full_batch_still_run()
    {
        // MaxConcurrency 1, ClaimBatchSize 2: the next claim starts once one entry (or none) of a full batch is left in the queue.
        var handler = new GatedHandler();
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = handler.RunAsync;
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        await using var host = await StartClaimOnlyAsync(sqlite, dispatcher, ("MaxConcurrency", "1"), ("ClaimBatchSize", "2"));
        try
        {
            await PostWhileTheFirstRunsAsync(host, handler, 5);

            // evt-0 finishes: a full batch (evt-1, evt-2) is claimed, evt-1 runs and stays blocked, evt-2 is the one left queued,
            // so evt-3 and evt-4 are claimed now, before the slot is free again.
            handler.Open("evt-0");
            await handler.WaitStartedAsync("evt-1");
            await Eventually.TrueAsync(
                async () => (await sqlite.ListAsync(null, 100)).Where(static r => r.Entry.EventId is "evt-3" or "evt-4").All(static r => r.Attempts == 1 && r.LeasedUntil is not null),
                "evt-3 and evt-4 claimed while evt-1 runs");
            Assert.Equal(["evt-0", "evt-1"], Runs(dispatcher));

            handler.OpenAll();
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).All(static r => r.State == DingInboxState.Done), "all five done");
            Assert.Equal(Enumerable.Range(0, 5).Select(static i => "evt-" + i), Runs(dispatcher));
            Assert.All(await sqlite.ListAsync(null, 100), static r => Assert.Equal(1, r.Attempts));
        }
        finally
        {
            handler.OpenAll();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_queued_entry_that_waited_past_a_quarter_of_its_lease_is_given_back_not_run_then_claimed_afresh()
    {
        var handler = new GatedHandler();
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = handler.RunAsync;
        var path = _dir.File("inbox.db");
        using var sqlite = new Sqlite.SqliteDingInbox(path);
        await using var host = await StartClaimOnlyAsync(sqlite, dispatcher, ("MaxConcurrency", "1"), ("LeaseDuration", "00:01:00"));
        try
        {
            await PostAsync(host, "evt-0");
            await handler.WaitStartedAsync("evt-0");
            await PostAsync(host, "evt-1");
            await PostAsync(host, "evt-2");

            // evt-0 finishes: one claim takes evt-1 and evt-2; evt-1 runs, evt-2 waits in the worker's queue.
            handler.Open("evt-0");
            await handler.WaitStartedAsync("evt-1");
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).Single(static r => r.Entry.EventId == "evt-2").Attempts == 1, "evt-2 claimed");
            var staleLease = (await sqlite.ListAsync(null, 100)).Single(static r => r.Entry.EventId == "evt-2").LeasedUntil;

            // evt-1 runs for 20 s: evt-2 has waited more than a quarter of its 1-minute lease.
            _time.Advance(TimeSpan.FromSeconds(20));
            handler.Open("evt-1");
            handler.Open("evt-2");
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).All(static r => r.State == DingInboxState.Done), "all three done");

            // evt-2 was not run under the stale claim: that claim was given back (lease cleared, attempt undone) and evt-2 claimed
            // afresh, so it ran once, as attempt 1, under a new lease.
            Assert.Contains("Gave back 1 claimed inbox entries that had not started (lease running out); 1 were still this worker's", host.AllLogText());
            Assert.Equal(["evt-0", "evt-1", "evt-2"], Runs(dispatcher));
            Assert.Equal(1, dispatcher.HandlerRuns.Single(static r => r.EventId == "evt-2").DeliveryAttempt);
            Assert.Equal(1, (await sqlite.ListAsync(null, 100)).Single(static r => r.Entry.EventId == "evt-2").Attempts);
            Assert.NotNull(staleLease);
        }
        finally
        {
            handler.OpenAll();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_gives_queued_entries_back_unstarted_and_finishes_the_one_in_flight()
    {
        var handler = new GatedHandler();
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = handler.RunAsync;
        var path = _dir.File("inbox.db");
        using var sqlite = new Sqlite.SqliteDingInbox(path);
        var host = await StartClaimOnlyAsync(sqlite, dispatcher, ("MaxConcurrency", "1"));
        try
        {
            await PostWhileTheFirstRunsAsync(host, handler, 5);

            // evt-0 finishes: one claim takes evt-1..4; evt-1 runs, evt-2..4 wait in the worker's queue.
            handler.Open("evt-0");
            await handler.WaitStartedAsync("evt-1");
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).Count(static r => r.Attempts == 1 && r.LeasedUntil is not null) == 4, "evt-1..4 claimed");

            var stopping = host.App.StopAsync(CancellationToken.None);
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 100)).Count(static r => r.LeasedUntil is not null) == 1, "the queued entries released");
            handler.Open("evt-1");
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            handler.OpenAll();
            await host.DisposeAsync();
        }

        Assert.Equal(["evt-0", "evt-1"], Runs(dispatcher));
        using var inbox = new Sqlite.SqliteDingInbox(path);
        var records = await inbox.ListAsync(null, 10);
        Assert.All(records.Where(static r => r.Entry.EventId is "evt-0" or "evt-1"), static r => Assert.Equal(DingInboxState.Done, r.State));
        foreach (var queued in records.Where(static r => r.Entry.EventId is "evt-2" or "evt-3" or "evt-4"))
        {
            // Given back as if never claimed: due at once for the next start or another replica, the claim's attempt undone.
            Assert.Equal(DingInboxState.Pending, queued.State);
            Assert.Null(queued.LeasedUntil);
            Assert.Equal(0, queued.Attempts);
        }
    }
    /// <summary>The SQLite inbox, with its batch completion held at a gate the test opens; records each batch it was given.</summary>
    private sealed class HeldCompletionInbox(Sqlite.SqliteDingInbox inner) : DelegatingInbox(inner), IDingInboxBatchCompletion
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public new Sqlite.SqliteDingInbox Inner => (Sqlite.SqliteDingInbox)base.Inner;

        public ConcurrentQueue<long[]> Batches { get; } = new();

        public void Open() => _gate.TrySetResult();

        public async ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            Batches.Enqueue([.. ids]);
            await Inner.CompleteAsync(ids, now, cancellationToken);
        }

        public override ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the worker completes through IDingInboxBatchCompletion when the store has it");
    }

    private Task<CallbackHost> StartHeldAsync(HeldCompletionInbox inbox, TestDispatcher dispatcher, params (string Key, string Value)[] settings) =>
        InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time, settings);

    [Fact(Timeout = 60_000)]
    public async Task A_finished_entry_frees_its_slot_before_its_completion_is_written_and_waiting_completions_are_written_together()
    {
        var handler = new GatedHandler();
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = handler.RunAsync;
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new HeldCompletionInbox(sqlite);
        await using var host = await StartHeldAsync(inbox, dispatcher, ("MaxConcurrency", "1"));
        try
        {
            await PostWhileTheFirstRunsAsync(host, handler, 5);

            // With one slot and evt-0's completion held by the store, the other four still run one after the other: the slot
            // is freed when the handlers finish, not when the store has recorded it.
            handler.OpenAll();
            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 5, "all five handled while no completion was written");
            Assert.All(await sqlite.ListAsync(null, 10), static r => Assert.Equal(DingInboxState.Pending, r.State));
            Assert.Empty(inbox.Batches);

            inbox.Open();
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 10)).All(static r => r.State == DingInboxState.Done), "all five done");
            var batches = inbox.Batches.ToArray();
            var byEvent = (await sqlite.ListAsync(null, 10)).ToDictionary(static r => r.Id, static r => r.Entry.EventId);

            // The first write (held) took evt-0 and whatever had finished when it started; everything that finished while it was
            // held went in the next write, except perhaps the last handler's completion, queued just after its run was recorded.
            // Never one write per entry.
            Assert.Contains("evt-0", batches[0].Select(id => byEvent[id]));
            Assert.True(batches.Length <= 3, $"the waiting completions are written together, saw writes of {string.Join(", ", batches.Select(static b => b.Length))}");
            Assert.Equal(byEvent.Keys.Order(), batches.SelectMany(static b => b).Order());
            Assert.Equal(Enumerable.Range(0, 5).Select(static i => "evt-" + i), Runs(dispatcher));
        }
        finally
        {
            handler.OpenAll();
            inbox.Open();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task While_as_many_completions_wait_as_the_worker_allows_it_starts_nothing_new()
    {
        // MaxConcurrency 1 and ClaimBatchSize 1: at most two finished entries may wait for their completion.
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new HeldCompletionInbox(sqlite);
        await using var host = await StartHeldAsync(inbox, dispatcher, ("MaxConcurrency", "1"), ("ClaimBatchSize", "1"));
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await PostAsync(host, "evt-" + i);
            }

            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 2, "two handled");

            // Give the worker time to (wrongly) start a third; then the held store lets completions through and the rest runs.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.Equal(2, dispatcher.HandlerRuns.Count);
            Assert.All(await sqlite.ListAsync(null, 10), static r => Assert.Equal(DingInboxState.Pending, r.State));

            inbox.Open();
            await Eventually.TrueAsync(async () => (await sqlite.ListAsync(null, 10)).All(static r => r.State == DingInboxState.Done), "all five done");
            Assert.Equal(Enumerable.Range(0, 5).Select(static i => "evt-" + i), Runs(dispatcher));
        }
        finally
        {
            inbox.Open();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Completions_still_waiting_at_shutdown_are_written_before_the_worker_stops()
    {
        var dispatcher = TestDispatcher.Default();
        var path = _dir.File("inbox.db");
        using var sqlite = new Sqlite.SqliteDingInbox(path);
        var inbox = new HeldCompletionInbox(sqlite);
        var host = await StartHeldAsync(inbox, dispatcher, ("MaxConcurrency", "2"));
        try
        {
            for (var i = 0; i < 4; i++)
            {
                await PostAsync(host, "evt-" + i);
            }

            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 4, "four handled");
            var stopping = host.App.StopAsync(CancellationToken.None);
            Assert.False(stopping.IsCompleted);
            inbox.Open();
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            inbox.Open();
            await host.DisposeAsync();
        }

        Assert.All(await sqlite.ListAsync(null, 10), static r => Assert.Equal(DingInboxState.Done, r.State));
        Assert.Equal(4, inbox.Batches.Sum(static b => b.Length));
    }

    /// <summary>The SQLite inbox, counting the worker's reads of the gauge counts (<see cref="IDingInbox.GetStatsAsync"/>).</summary>
    private sealed class CountingStatsInbox(Sqlite.SqliteDingInbox inner, FakeTimeProvider? time = null, TimeSpan readTakes = default) : DelegatingInbox(inner)
    {
        private int _statsReads;

        public new Sqlite.SqliteDingInbox Inner => (Sqlite.SqliteDingInbox)base.Inner;

        public int StatsReads => Volatile.Read(ref _statsReads);

        public override ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _statsReads);

            // A read of the counts that takes readTakes of the test's clock (a scan of a large backlog).
            time?.Advance(readTakes);
            return base.GetStatsAsync(cancellationToken);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_that_keeps_up_reads_the_gauge_counts_at_most_once_a_second_not_once_per_claim()
    {
        // The counts scan the table under the store's writer lock. A worker that keeps up claims once per new entry (and comes back
        // short each time); a count per claim held every callback's commit up behind a scan of the backlog.
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new CountingStatsInbox(sqlite);
        await using var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time);

        for (var i = 0; i < 10; i++)
        {
            await PostAsync(host, "evt-" + i);
            var handled = i + 1;
            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == handled, $"evt-{i} handled");
        }

        // Ten claims (at least) within one second of the fake clock: the counts were read once, at the first.
        Assert.Equal(1, inbox.StatsReads);

        // A second later the next claim reads them again, so the gauges still follow the backlog.
        _time.Advance(TimeSpan.FromSeconds(1));
        await PostAsync(host, "evt-10");
        await Eventually.TrueAsync(() => inbox.StatsReads == 2, "the counts read again after a second");
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 11, "evt-10 handled");
    }

    [Fact(Timeout = 60_000)]
    public async Task When_reading_the_gauge_counts_is_slow_the_worker_reads_them_less_often()
    {
        // A read that takes 100 ms (a large backlog's scan) is followed by the next one no sooner than 50 times that: 5 s, not 1 s.
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new CountingStatsInbox(sqlite, _time, TimeSpan.FromMilliseconds(100));
        await using var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time);

        await PostAsync(host, "evt-0");
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 1, "evt-0 handled");
        Assert.Equal(1, inbox.StatsReads);

        // 1.1 s after the read began: a fast read would be due again, this one is not.
        _time.Advance(TimeSpan.FromSeconds(1));
        await PostAsync(host, "evt-1");
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 2, "evt-1 handled");
        Assert.Equal(1, inbox.StatsReads);

        // 5.1 s after it: read again.
        _time.Advance(TimeSpan.FromSeconds(4));
        await PostAsync(host, "evt-2");
        await Eventually.TrueAsync(() => inbox.StatsReads == 2, "the counts read again after 5 s");
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 3, "evt-2 handled");
    }

    [Theory]
    [InlineData(0, 1_000)]
    [InlineData(10, 1_000)]
    [InlineData(20, 1_000)]
    [InlineData(100, 5_000)]
    [InlineData(2_000, 100_000)]
    public void The_next_read_of_the_counts_waits_a_second_or_fifty_times_the_last_read(int tookMs, int waitMs)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
        Assert.Equal(now.AddMilliseconds(waitMs), DingInboxWorker.NextStatsRead(now, TimeSpan.FromMilliseconds(tookMs)));
    }
}
