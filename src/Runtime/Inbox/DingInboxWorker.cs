using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Dispatches the inbox: claims due entries (up to <see cref="DingInboxOptions.MaxConcurrency"/> at a time), opens each sealed envelope
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

    private readonly IServiceProvider _services;
    private readonly IDingInbox _inbox;
    private readonly DingInboxSignal _signal;
    private readonly DingInboxMetrics _metrics;
    private readonly DingCallbackAppCache _apps;
    private readonly DingEventRouter _router;
    private readonly TimeProvider _time;
    private readonly DingInboxOptions _options;
    private readonly ILogger _logger;

    public DingInboxWorker(IServiceProvider services)
    {
        _services = services;
        _inbox = services.GetRequiredService<IDingInbox>();
        _signal = services.GetRequiredService<DingInboxSignal>();
        _metrics = services.GetRequiredService<DingInboxMetrics>();
        _apps = services.GetRequiredService<DingCallbackAppCache>();
        _router = services.GetRequiredService<DingEventRouter>();
        _time = services.GetRequiredService<TimeProvider>();
        _options = services.GetRequiredService<IOptions<DingInboxOptions>>().Value;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingInboxLog.Category);
    }

    /// <summary>Returns a number in [0, 1) for the jitter; replaceable in tests.</summary>
    internal Func<double> Jitter { get; set; } = static () => Random.Shared.NextDouble();

    /// <summary>The delay before the attempt after <paramref name="attempt"/> failed: <c>Initial · 2^(attempt-1)</c>, capped, ±20 %.</summary>
    internal TimeSpan RetryDelay(int attempt)
    {
        var initial = _options.InitialRetryDelay.TotalMilliseconds;
        var max = _options.MaxRetryDelay.TotalMilliseconds;
        var exponential = Math.Min(max, initial * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)));
        var jittered = exponential * (0.8 + (0.4 * Jitter()));
        return TimeSpan.FromMilliseconds(Math.Clamp(jittered, initial * 0.8, max));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await ReleaseStaleLeasesAsync(stoppingToken).ConfigureAwait(false);
        var inFlight = new List<Task>(_options.MaxConcurrency);
        Task<bool>? signal = null;
        Task? poll = null;
        var nextPurge = _time.GetUtcNow();
        var storeDelay = _options.PollInterval;

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveAll(static t => t.IsCompleted);
                var free = _options.MaxConcurrency - inFlight.Count;
                var claimedAll = false;
                if (free > 0)
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

                        _metrics.Update(await _inbox.GetStatsAsync(stoppingToken).ConfigureAwait(false));
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

    /// <summary>Dispatches one claimed entry and records the outcome. Never throws.</summary>
    internal async Task ProcessAsync(DingInboxRecord record, CancellationToken stoppingToken)
    {
        var entry = record.Entry;
        var app = DingInboxWriter.MetricName(entry.AppName);
        var start = _time.GetTimestamp();
        string? error = null;
        var outcome = "handled";
        try
        {
            error = await DispatchAsync(record, stoppingToken).ConfigureAwait(false);
            if (error == Unhandled)
            {
                error = null;
                outcome = "unhandled";
            }
        }
        catch (Exception ex)
        {
            error = Describe(ex);
        }

        var now = _time.GetUtcNow();
        try
        {
            if (error is null)
            {
                await _inbox.CompleteAsync(record.Id, now, CancellationToken.None).ConfigureAwait(false);
                _metrics.Attempt(app, entry.EventType, outcome);
                DingInboxLog.EntryHandled(_logger, record.Id, entry.EventType, app, entry.CorpId, outcome, record.Attempts, _time.GetElapsedTime(start).TotalMilliseconds);
                return;
            }

            _metrics.Attempt(app, entry.EventType, "failed");
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
            // The lease expires and the entry is dispatched again: at-least-once.
            DingInboxLog.StoreFailed(_logger, ex, "recording an outcome", _options.LeaseDuration.TotalMilliseconds);
        }
    }

    private const string Unhandled = "\0unhandled";

    /// <summary>Opens and dispatches the entry; returns null when handled, <see cref="Unhandled"/>, or the failure summary.</summary>
    private async Task<string?> DispatchAsync(DingInboxRecord record, CancellationToken stoppingToken)
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

        var code = DingInboxSealing.Open(app.Crypto, entry.Envelope, out var plaintext);
        if (code != DingCryptoErrorCode.None)
        {
            return $"the stored envelope does not open with the app's current Token/AesKey/owner key: error {(int)code} ({DingCryptoErrors.Describe(code)}). Were the keys rotated?";
        }

        await using var scope = _services.CreateAsyncScope();
        var context = new DingEventContext(entry.EventType, plaintext!, scope.ServiceProvider)
        {
            EventId = entry.EventId,
            CorpId = entry.CorpId,
            Channel = entry.Channel,
            ReceivedAt = entry.ReceivedAt,
            AppName = entry.AppName.Length == 0 ? null : entry.AppName,
            DeliveryAttempt = record.Attempts,
            CancellationToken = stoppingToken,
            TimeProvider = _time,
        };

        DingDispatchResult result;
        try
        {
            result = await _router.DispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DingInboxLog.HandlerFailed(_logger, ex, "(dispatcher)", record.Id, entry.EventType, DingInboxWriter.MetricName(entry.AppName), record.Attempts);
            return "(dispatcher): " + Describe(ex);
        }

        switch (result.Status)
        {
            case DingDispatchStatus.Handled:
                return null;
            case DingDispatchStatus.NotHandled:
                return Unhandled;
        }

        var summary = new StringBuilder();
        foreach (var failure in result.Failures)
        {
            DingInboxLog.HandlerFailed(_logger, failure.Exception, failure.HandlerName, record.Id, entry.EventType, DingInboxWriter.MetricName(entry.AppName), record.Attempts);
            if (summary.Length > 0)
            {
                summary.Append("; ");
            }

            summary.Append(failure.HandlerName).Append(": ").Append(Describe(failure.Exception));
        }

        return summary.ToString();
    }

    private static string Describe(Exception exception) => exception.GetType().FullName + ": " + exception.Message;

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
