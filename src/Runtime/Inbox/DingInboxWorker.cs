using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Dispatches the inbox: claims due entries in batches of <see cref="DingInboxOptions.ClaimBatchSize"/> into a local queue and runs them
/// with at most <see cref="DingInboxOptions.MaxConcurrency"/> in flight (an entry that waited in the queue for more than a quarter of its
/// lease is given back instead of run), opens each sealed envelope
/// with its app's current keys, runs the handlers through <see cref="DingEventRouter"/> in a DI scope of its own, then completes the
/// entry or schedules a retry with exponential backoff and jitter, and dead-letters it after <see cref="DingInboxOptions.MaxAttempts"/>.
/// Completions are batched: an entry whose handlers succeeded frees its slot at once, and one loop writes the finished entries'
/// completions together (<see cref="IDingInboxBatchCompletion"/> when the store has it), a bounded number waiting at a time
/// (<see cref="CompletionsFull"/>).
/// </summary>
/// <remarks>
/// Woken at once by every new entry; also polls every <see cref="DingInboxOptions.PollInterval"/> for due retries and expired leases.
/// On shutdown it claims nothing more, gives the queued entries back (<see cref="IDingInboxLeaseRelease"/>, else they are due when their
/// leases expire) and waits for the entries in flight (their handlers see the stopping token); an entry interrupted
/// by shutdown is due again at the next start and is never dead-lettered for it. Delivery is at-least-once.
/// </remarks>
internal sealed class DingInboxWorker : BackgroundService
{
    private const int MaxErrorSummaryLength = 4000;

    private readonly IDingInbox _inbox;
    private readonly DingInboxSignal _signal;
    private readonly DingInboxOpenedMessages _opened;
    private readonly DingInboxHandoff _handoff;
    private readonly DingInboxMetrics _metrics;
    private readonly DingCallbackAppCache _apps;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly DingInboxOptions _options;
    private readonly ILogger _logger;
    private readonly int _maxUncommitted;

    // Completions of entries whose handlers succeeded, written in batches by CompleteLoopAsync. _uncommitted counts those queued or
    // being written; _written is completed (and replaced) after each write, to wake a main loop that waits for room.
    private readonly Channel<long> _completions = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private int _uncommitted;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;
    private DateTimeOffset _nextStats = DateTimeOffset.MinValue;
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The most completions written in one batch.</summary>
    internal const int MaxCompletionBatch = 256;

    public DingInboxWorker(IServiceProvider services)
    {
        _inbox = services.GetRequiredService<IDingInbox>();
        _signal = services.GetRequiredService<DingInboxSignal>();
        _opened = services.GetRequiredService<DingInboxOpenedMessages>();
        _handoff = services.GetRequiredService<DingInboxHandoff>();
        _metrics = services.GetRequiredService<DingInboxMetrics>();
        _apps = services.GetRequiredService<DingCallbackAppCache>();
        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        _time = services.GetRequiredService<TimeProvider>();
        _options = services.GetRequiredService<IOptions<DingInboxOptions>>().Value;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingInboxLog.Category);
        _maxUncommitted = Math.Max(_options.ClaimBatchSize, 2 * _options.MaxConcurrency);
    }

    /// <summary>The most often the worker reads the inbox counts of the gauges (they scan the table).</summary>
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times as long as the last read of the counts the worker waits before the next one: the counts take at most a fiftieth
    /// of the time. They scan the backlog (with SQLite under the writer lock, which every callback's commit needs): 75–95 ms at 150,000
    /// pending entries, read every second, held the intake up 8 % of the time, more the larger the backlog grew.
    /// </summary>
    internal const int StatsCostFactor = 50;

    /// <summary>When the counts are read next after a read at <paramref name="now"/> that took <paramref name="took"/>: after <see cref="StatsInterval"/>, or <see cref="StatsCostFactor"/> times <paramref name="took"/> when that is longer.</summary>
    internal static DateTimeOffset NextStatsRead(DateTimeOffset now, TimeSpan took) =>
        now + (took * StatsCostFactor > StatsInterval ? took * StatsCostFactor : StatsInterval);

    /// <summary>Returns a number in [0, 1) for the jitter; replaceable in tests.</summary>
    internal Func<double> Jitter { get; set; } = static () => Random.Shared.NextDouble();

    /// <summary>The delay before the attempt after <paramref name="attempt"/> failed (<see cref="DingBackoff.Delay"/>, from <see cref="DingInboxOptions.InitialRetryDelay"/> up to <see cref="DingInboxOptions.MaxRetryDelay"/>).</summary>
    internal TimeSpan RetryDelay(int attempt) => DingBackoff.Delay(attempt, _options.InitialRetryDelay, _options.MaxRetryDelay, Jitter());

    /// <summary>
    /// Whether as many finished entries wait for their completion to be written as the worker allows: one claim batch, and at least
    /// twice <see cref="DingInboxOptions.MaxConcurrency"/>. While it holds the worker starts no more, so a slow store slows the
    /// worker down instead of letting handled-but-not-completed entries pile up towards their lease expiry.
    /// </summary>
    private bool CompletionsFull => Volatile.Read(ref _uncommitted) >= _maxUncommitted;

    /// <summary>Slots free for new entries: none while <see cref="CompletionsFull"/>.</summary>
    private int FreeSlots(List<Task> inFlight) => CompletionsFull ? 0 : _options.MaxConcurrency - inFlight.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var completing = CompleteLoopAsync();
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // The intake hands over nothing more (RunAsync already closed it unless it failed; their leases then expire).
            _handoff.Close();

            // Every entry in flight has finished: write the completions still queued, then stop.
            _completions.Writer.TryComplete();
            await completing.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await ReleaseStaleLeasesAsync(stoppingToken).ConfigureAwait(false);
        var inFlight = new List<Task>(_options.MaxConcurrency);
        var queued = new Queue<Claimed>();
        Task<bool>? signal = null;
        Task<bool>? handedOver = null;
        Task? poll = null;
        Task<IReadOnlyList<DingInboxRecord>>? claiming = null;
        var claimingAt = DateTimeOffset.MinValue;
        var storeDelay = _options.PollInterval;

        // Claims are batched: the worker claims up to ClaimBatchSize entries in one round trip, keeps them in a local queue and runs
        // them with at most MaxConcurrency in flight, so a backlog costs one claim per batch, not one per entry. The claim runs beside
        // the handlers: the next batch is claimed while the last part of the current one still runs (lowWater entries or fewer
        // queued), so the slots do not idle for a round trip per batch. A queued entry starts only while most of its lease is left
        // (MaxQueuedWait); otherwise another replica may already hold it, and it is given back.
        var claimSize = Math.Max(_options.ClaimBatchSize, _options.MaxConcurrency);
        var lowWater = Math.Max(_options.MaxConcurrency, claimSize / 2);
        var maxQueuedWait = MaxQueuedWait(_options.LeaseDuration);

        // Whether entries may be due that no claim has seen: set at start, by a new entry's signal, the poll interval, entries given
        // back, a store failure and a claim that came back full; cleared when a claim starts (so an event during a claim that then
        // comes back short is not lost).
        var moreDue = true;

        // Whether the last claim came back short (no backlog in the store): only then may new entries come straight from the intake,
        // stored already leased to this worker (DingInboxHandoff), and only as many as a claim batch would have queued. Otherwise
        // they wait their turn in the store and are claimed in batches.
        var caughtUp = false;

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveAll(static t => t.IsCompleted);
                if (claiming is { IsCompleted: true })
                {
                    var done = claiming;
                    claiming = null;
                    IReadOnlyList<DingInboxRecord> claimed;
                    try
                    {
                        claimed = await done.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (Exception ex)
                    {
                        // The store is unavailable (disk, lock, network): back off, then try again.
                        DingInboxLog.StoreFailed(_logger, ex, "claim", storeDelay.TotalMilliseconds);
                        await Task.Delay(storeDelay, _time, stoppingToken).ConfigureAwait(false);
                        storeDelay = TimeSpan.FromTicks(Math.Min(storeDelay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
                        moreDue = true;
                        continue;
                    }

                    storeDelay = _options.PollInterval;
                    foreach (var record in claimed)
                    {
                        queued.Enqueue(new Claimed(record, claimingAt));
                    }

                    moreDue |= claimed.Count == claimSize;
                    caughtUp = claimed.Count < claimSize;
                    await HousekeepAsync(claimingAt).ConfigureAwait(false);
                }

                // Entries the intake stored leased to this worker join the local queue like claimed ones (the same lease rules).
                while (_handoff.TryTake(out var leased))
                {
                    queued.Enqueue(new Claimed(leased.Record, leased.LeasedAt));
                }

                if (await StartQueuedAsync(queued, inFlight, maxQueuedWait, stoppingToken).ConfigureAwait(false))
                {
                    // Entries given back are due again at once: claim them afresh.
                    moreDue = true;
                }

                var gated = CompletionsFull;
                if (claiming is null && moreDue && !gated && (queued.Count == 0 ? FreeSlots(inFlight) > 0 : queued.Count <= lowWater))
                {
                    claimingAt = _time.GetUtcNow();
                    var at = claimingAt;
                    moreDue = false;

                    // On the thread pool: a store whose claim runs synchronously (SQLite) still overlaps the handlers.
                    claiming = Task.Run(() => _inbox.ClaimAsync(claimSize, at, _options.LeaseDuration, stoppingToken).AsTask(), CancellationToken.None);
                }

                _handoff.SetRoom(caughtUp ? claimSize - queued.Count : 0);

                // Sleep until a new entry arrives, an in-flight entry finishes, a claim returns, a completion write makes room, or the
                // poll interval passes.
                signal ??= _signal.WaitAsync(stoppingToken);
                handedOver ??= _handoff.WaitAsync(stoppingToken);
                poll ??= Task.Delay(_options.PollInterval, _time, stoppingToken);
                var wake = new List<Task>(6) { signal, handedOver, poll };
                if (inFlight.Count > 0)
                {
                    wake.Add(Task.WhenAny(inFlight));
                }

                if (claiming is not null)
                {
                    wake.Add(claiming);
                }

                // Waiting for room among the uncommitted completions: the signal of the write in progress is read before the count,
                // so a write that ends in between either lowered the count already (no wait) or completes this signal.
                var written = Volatile.Read(ref _written);
                if (CompletionsFull)
                {
                    wake.Add(written.Task);
                }
                else if (gated || (queued.Count > 0 && inFlight.Count < _options.MaxConcurrency))
                {
                    // Room was made since this round began: start queued entries (or claim) at once.
                    continue;
                }

                await Task.WhenAny(wake).ConfigureAwait(false);
                if (signal.IsCompleted)
                {
                    signal = null;
                    _signal.TryConsume();
                    moreDue = true;
                }

                if (handedOver.IsCompleted)
                {
                    handedOver = null;
                    _handoff.TryConsumeSignal();
                }

                if (poll.IsCompleted)
                {
                    poll = null;
                    moreDue = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // A claim still running at shutdown: its entries were never started either.
        if (claiming is not null)
        {
            try
            {
                foreach (var record in await claiming.ConfigureAwait(false))
                {
                    queued.Enqueue(new Claimed(record, claimingAt));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || stoppingToken.IsCancellationRequested)
            {
                // Cancelled by the shutdown (or failed during it): nothing was claimed that this worker knows of; a claim the store
                // committed anyway is due again when its leases expire.
            }
        }

        // Entries handed over by the intake but not taken: the intake hands over nothing more from now on (it gives back what it
        // stores leased from now on itself).
        foreach (var leased in _handoff.Close())
        {
            queued.Enqueue(new Claimed(leased.Record, leased.LeasedAt));
        }

        // Entries claimed but not started go back first, so another replica (or the next start) can take them at once.
        await GiveBackAsync(queued, "shutdown").ConfigureAwait(false);
        var remaining = inFlight.Count(static t => !t.IsCompleted);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        DingInboxLog.WorkerStopped(_logger, remaining);
    }

    /// <summary>
    /// After a claim: deletes done entries past their retention when the purge is due, and refreshes the counts (depth, dead, oldest) of
    /// the gauges at most every <see cref="StatsInterval"/>, and less often when reading them is slow (<see cref="StatsCostFactor"/>). The
    /// counts scan the table under the store's writer lock, so they are never read once per claim: a worker that keeps up with the
    /// intake claims (and comes back short) once per new entry, and a count per claim held up every callback's commit behind a scan of
    /// the backlog. An idle worker still refreshes them at each poll. A failure is logged; the worker goes on.
    /// </summary>
    private async Task HousekeepAsync(DateTimeOffset now)
    {
        try
        {
            if (now >= _nextPurge)
            {
                _nextPurge = now + _options.PurgeInterval;
                await PurgeAsync(now, CancellationToken.None).ConfigureAwait(false);
            }

            if (now >= _nextStats)
            {
                // Set before the read, so a read that fails is not repeated at every claim either.
                _nextStats = now + StatsInterval;
                var started = _time.GetTimestamp();
                var stats = await _inbox.GetStatsAsync(CancellationToken.None).ConfigureAwait(false);
                _nextStats = NextStatsRead(now, _time.GetElapsedTime(started));
                _metrics.Update(stats);
            }
        }
        catch (Exception ex)
        {
            DingInboxLog.StoreFailed(_logger, ex, "housekeeping (purge, counts)", _options.PollInterval.TotalMilliseconds);
        }
    }

    /// <summary>
    /// How long a claimed entry may wait in the local queue and still be started: a quarter of the lease, so a handler started from
    /// the queue still has at least three quarters of <see cref="DingInboxOptions.LeaseDuration"/> before another worker may claim it.
    /// </summary>
    internal static TimeSpan MaxQueuedWait(TimeSpan leaseDuration) => leaseDuration / 4;

    /// <summary>
    /// Starts queued entries while slots are free. An entry that waited longer than <paramref name="maxQueuedWait"/> is not run (its
    /// lease is (nearly) over and another replica may claim it): it is given back and claimed again later.
    /// </summary>
    /// <returns>Whether entries were given back.</returns>
    private async ValueTask<bool> StartQueuedAsync(Queue<Claimed> queued, List<Task> inFlight, TimeSpan maxQueuedWait, CancellationToken stoppingToken)
    {
        List<Claimed>? expired = null;
        while (queued.Count > 0 && FreeSlots(inFlight) > 0 && !stoppingToken.IsCancellationRequested)
        {
            var next = queued.Dequeue();
            if (_time.GetUtcNow() - next.ClaimedAt > maxQueuedWait)
            {
                (expired ??= []).Add(next);
                continue;
            }

            var record = next.Record;
            inFlight.Add(Task.Run(() => ProcessAsync(record, stoppingToken), CancellationToken.None));
        }

        if (expired is not null)
        {
            // Whatever else is queued was claimed no later than these: it expired too.
            while (queued.Count > 0)
            {
                expired.Add(queued.Dequeue());
            }

            await GiveBackAsync(expired, "lease running out").ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Gives entries that were claimed but never started back: releases their leases (and undoes the claim's attempt) when the store
    /// implements <see cref="IDingInboxLeaseRelease"/>; otherwise they are due again when their leases expire. Never throws.
    /// </summary>
    private async ValueTask GiveBackAsync(IEnumerable<Claimed> entries, string reason)
    {
        var records = entries.Select(static c => c.Record).ToList();
        if (records.Count == 0)
        {
            return;
        }

        if (entries is Queue<Claimed> queue)
        {
            queue.Clear();
        }

        await DingInboxLeases.GiveBackAsync(_inbox, records, reason, _options.LeaseDuration, _logger).ConfigureAwait(false);
    }

    /// <summary>A claimed entry waiting in the local queue, with the time of its claim.</summary>
    private readonly record struct Claimed(DingInboxRecord Record, DateTimeOffset ClaimedAt);

    private async Task PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - _options.DoneRetention;
        var count = await _inbox.PurgeDoneAsync(before, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            DingInboxLog.Purged(_logger, count, before);
        }
    }

    /// <summary>Delivers one claimed entry through the pipeline and records the outcome. Never throws.</summary>
    internal async Task ProcessAsync(DingInboxRecord record, CancellationToken stoppingToken)
    {
        var entry = record.Entry;
        var app = DingInboxWriter.MetricName(entry.AppName);
        string? error;
        try
        {
            error = await DeliverAsync(record, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex.GetType().FullName + ": " + ex.Message;
        }

        var now = _time.GetUtcNow();
        try
        {
            if (error is null)
            {
                // The slot is free now; CompleteLoopAsync writes this completion with the others that finished meanwhile.
                Interlocked.Increment(ref _uncommitted);
                if (!_completions.Writer.TryWrite(record.Id))
                {
                    Interlocked.Decrement(ref _uncommitted);
                    await _inbox.CompleteAsync(record.Id, now, CancellationToken.None).ConfigureAwait(false);
                }

                return;
            }

            if (error.Length > MaxErrorSummaryLength)
            {
                error = error[..MaxErrorSummaryLength];
            }

            // Interrupted by shutdown: due again at the next start, never dead-lettered for it.
            if (record.Attempts >= _options.MaxAttempts && !stoppingToken.IsCancellationRequested)
            {
                await _inbox.FailAsync(record.Id, error, null, now, CancellationToken.None).ConfigureAwait(false);
                _metrics.DeadLettered(app, entry.EventType);
                DingInboxLog.DeadLettered(_logger, record.Id, entry.EventType, app, record.Attempts, error);
                return;
            }

            var next = stoppingToken.IsCancellationRequested ? now : now + RetryDelay(record.Attempts);
            await _inbox.FailAsync(record.Id, error, next, now, CancellationToken.None).ConfigureAwait(false);
            DingInboxLog.AttemptFailed(_logger, record.Id, entry.EventType, app, record.Attempts, _options.MaxAttempts, next, error);
        }
        catch (Exception ex)
        {
            // The lease expires and the entry is delivered again: at-least-once.
            DingInboxLog.StoreFailed(_logger, ex, "recording an outcome", _options.LeaseDuration.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Writes the queued completions, as many as have finished (up to <see cref="MaxCompletionBatch"/>) in one store call, one call at
    /// a time, until the channel is completed and empty. Never throws: a failed write is logged and its entries run again once their
    /// leases expire (at-least-once).
    /// </summary>
    private async Task CompleteLoopAsync()
    {
        var reader = _completions.Reader;
        var batch = new List<long>(MaxCompletionBatch);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxCompletionBatch && reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            try
            {
                var now = _time.GetUtcNow();
                if (_inbox is IDingInboxBatchCompletion batched)
                {
                    await batched.CompleteAsync(batch, now, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    var calls = new Task[batch.Count];
                    for (var i = 0; i < calls.Length; i++)
                    {
                        calls[i] = _inbox.CompleteAsync(batch[i], now, CancellationToken.None).AsTask();
                    }

                    await Task.WhenAll(calls).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                DingInboxLog.StoreFailed(_logger, ex, "recording completions", _options.LeaseDuration.TotalMilliseconds);
            }

            Interlocked.Add(ref _uncommitted, -batch.Count);
            batch.Clear();
            Interlocked.Exchange(ref _written, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Opens and delivers the entry; returns null when done (handled, or no handler any more), else the failure summary.</summary>
    private async Task<string?> DeliverAsync(DingInboxRecord record, CancellationToken stoppingToken)
    {
        var entry = record.Entry;
        DingCallbackApp app;
        try
        {
            app = _apps.Get(entry.AppName);
        }
        catch (OptionsValidationException ex)
        {
            return "the app's configuration is invalid: " + string.Join(" ", ex.Failures);
        }

        // The intake of this process verified and decrypted it already (the usual case with one replica); else open the envelope.
        var code = _opened.TryTake(entry, out var plaintext) ? DingCryptoErrorCode.None : app.Open(entry.Envelope, _time, out plaintext);
        if (code != DingCryptoErrorCode.None)
        {
            return $"the stored envelope does not open with the app's current Token/AesKey/owner key{(app.PreviousKeysOpen(_time) ? " nor its previous keys" : string.Empty)}: error {(int)code} ({DingCryptoErrors.Describe(code)}). Were the keys rotated? Set PreviousToken/PreviousAesKey and PreviousKeysUntil to the keys before the rotation.";
        }

        var delivery = new DingDelivery(entry.EventType, plaintext!)
        {
            Channel = entry.Channel,
            AppName = entry.AppName,
            EventId = entry.EventId,
            CorpId = entry.CorpId,
            ReceivedAt = entry.ReceivedAt,
            Attempt = record.Attempts,
            InboxEntryId = record.Id,
        };
        var result = await _pipeline.DeliverAsync(delivery, stoppingToken).ConfigureAwait(false);
        return result.Status == DingDispatchStatus.Failed ? result.DescribeFailures() : null;
    }

    /// <summary>
    /// After a crash, entries the dead process had claimed are due again at once (not when their leases expire), for stores that
    /// know every lease at start-up is stale (<see cref="IDingInboxRestartRecovery"/>). A failure is logged; lease expiry then applies.
    /// </summary>
    private async Task ReleaseStaleLeasesAsync(CancellationToken stoppingToken)
    {
        if (_inbox is not IDingInboxRestartRecovery recovery)
        {
            return;
        }

        try
        {
            var released = await recovery.ReleaseStaleLeasesAsync(stoppingToken).ConfigureAwait(false);
            if (released > 0)
            {
                DingInboxLog.StaleLeasesReleased(_logger, released);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DingInboxLog.StaleLeasesNotReleased(_logger, ex);
        }
    }
}
