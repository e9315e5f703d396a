using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Dispatches the inbox: claims due entries in batches (up to <see cref="DingInboxOptions.MaxConcurrency"/> in flight; with entries in
/// flight it claims again once half of the slots are free), opens each sealed envelope
/// with its app's current keys, runs the handlers through <see cref="DingEventRouter"/> in a DI scope of its own, then completes the
/// entry or schedules a retry with exponential backoff and jitter, and dead-letters it after <see cref="DingInboxOptions.MaxAttempts"/>.
/// </summary>
/// <remarks>
/// Woken at once by every new entry; also polls every <see cref="DingInboxOptions.PollInterval"/> for due retries and expired leases.
/// On shutdown it claims nothing more and waits for the entries in flight (their handlers see the stopping token); an entry interrupted
/// by shutdown is due again at the next start and is never dead-lettered for it. Delivery is at-least-once.
/// </remarks>
internal sealed class DingInboxWorker : BackgroundService
{
    private const int MaxErrorSummaryLength = 4000;

    private readonly IDingInbox _inbox;
    private readonly DingInboxSignal _signal;
    private readonly DingInboxMetrics _metrics;
    private readonly DingCallbackAppCache _apps;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly DingInboxOptions _options;
    private readonly ILogger _logger;

    public DingInboxWorker(IServiceProvider services)
    {
        _inbox = services.GetRequiredService<IDingInbox>();
        _signal = services.GetRequiredService<DingInboxSignal>();
        _metrics = services.GetRequiredService<DingInboxMetrics>();
        _apps = services.GetRequiredService<DingCallbackAppCache>();
        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        _time = services.GetRequiredService<TimeProvider>();
        _options = services.GetRequiredService<IOptions<DingInboxOptions>>().Value;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingInboxLog.Category);
    }

    /// <summary>While the worker claims full batches, how often it refreshes the inbox counts of the gauges.</summary>
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    /// <summary>Returns a number in [0, 1) for the jitter; replaceable in tests.</summary>
    internal Func<double> Jitter { get; set; } = static () => Random.Shared.NextDouble();

    /// <summary>The delay before the attempt after <paramref name="attempt"/> failed (<see cref="DingBackoff.Delay"/>, from <see cref="DingInboxOptions.InitialRetryDelay"/> up to <see cref="DingInboxOptions.MaxRetryDelay"/>).</summary>
    internal TimeSpan RetryDelay(int attempt) => DingBackoff.Delay(attempt, _options.InitialRetryDelay, _options.MaxRetryDelay, Jitter());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await ReleaseStaleLeasesAsync(stoppingToken).ConfigureAwait(false);
        var inFlight = new List<Task>(_options.MaxConcurrency);
        Task<bool>? signal = null;
        Task? poll = null;
        var nextPurge = _time.GetUtcNow();
        var nextStats = nextPurge;
        var storeDelay = _options.PollInterval;

        // Claims are batched: with entries in flight the worker claims again only once half of its slots are free, so a backlog costs
        // one claim per several entries, not one per completed entry.
        var claimThreshold = Math.Max(1, _options.MaxConcurrency / 2);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveAll(static t => t.IsCompleted);
                var free = _options.MaxConcurrency - inFlight.Count;
                var claimedAll = false;
                if (free >= claimThreshold || (free > 0 && inFlight.Count == 0))
                {
                    var now = _time.GetUtcNow();
                    try
                    {
                        var claimed = await _inbox.ClaimAsync(free, now, _options.LeaseDuration, stoppingToken).ConfigureAwait(false);
                        foreach (var record in claimed)
                        {
                            inFlight.Add(Task.Run(() => ProcessAsync(record, stoppingToken), CancellationToken.None));
                        }

                        claimedAll = claimed.Count == free;
                        if (now >= nextPurge)
                        {
                            nextPurge = now + _options.PurgeInterval;
                            await PurgeAsync(now, stoppingToken).ConfigureAwait(false);
                        }

                        // The counts (depth, dead, oldest) for the gauges: each time the worker goes idle, and at most every
                        // StatsInterval while it works through a backlog (the counts scan the table: not once per claim).
                        if (!claimedAll || now >= nextStats)
                        {
                            nextStats = now + StatsInterval;
                            _metrics.Update(await _inbox.GetStatsAsync(stoppingToken).ConfigureAwait(false));
                        }

                        storeDelay = _options.PollInterval;
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
                        continue;
                    }
                }

                if (claimedAll && inFlight.Count < _options.MaxConcurrency)
                {
                    continue;
                }

                // Sleep until a new entry arrives, an in-flight entry finishes, or the poll interval passes.
                signal ??= _signal.WaitAsync(stoppingToken);
                poll ??= Task.Delay(_options.PollInterval, _time, stoppingToken);
                var wake = new List<Task>(inFlight.Count + 2) { signal, poll };
                if (inFlight.Count > 0)
                {
                    wake.Add(Task.WhenAny(inFlight));
                }

                await Task.WhenAny(wake).ConfigureAwait(false);
                if (signal.IsCompleted)
                {
                    signal = null;
                    _signal.TryConsume();
                }

                if (poll.IsCompleted)
                {
                    poll = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        var remaining = inFlight.Count(static t => !t.IsCompleted);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        DingInboxLog.WorkerStopped(_logger, remaining);
    }

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
                await _inbox.CompleteAsync(record.Id, now, CancellationToken.None).ConfigureAwait(false);
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

        var code = app.Open(entry.Envelope, _time, out var plaintext);
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
