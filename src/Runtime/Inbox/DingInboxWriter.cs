using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The way into the durable inbox for the channels: the HTTP endpoint stores the envelope DingTalk sent; the stream channel hands
/// over a verified event, which is sealed with the app's keys first. Both deduplicate, count, and wake the worker.
/// </summary>
internal sealed class DingInboxWriter
{
    private readonly IDingInbox _inbox;
    private readonly DingInboxRegistration _registration;
    private readonly DingInboxSignal _signal;
    private readonly DingInboxOpenedMessages _opened;
    private readonly DingInboxHandoff _handoff;
    private readonly IDingInboxLeasedAdd? _leasedAdd;
    private readonly TimeSpan _leaseDuration;
    private readonly DingInboxMetrics _metrics;
    private readonly DingCallbackAppCache _apps;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrozenSet<string> _handled;

    public DingInboxWriter(IServiceProvider services)
    {
        _inbox = services.GetRequiredService<IDingInbox>();
        _registration = services.GetRequiredService<DingInboxRegistration>();
        _signal = services.GetRequiredService<DingInboxSignal>();
        _opened = services.GetRequiredService<DingInboxOpenedMessages>();
        _handoff = services.GetRequiredService<DingInboxHandoff>();
        _leasedAdd = _inbox as IDingInboxLeasedAdd;
        _leaseDuration = services.GetRequiredService<IOptions<DingInboxOptions>>().Value.LeaseDuration;
        _metrics = services.GetRequiredService<DingInboxMetrics>();
        _apps = services.GetRequiredService<DingCallbackAppCache>();
        _time = services.GetRequiredService<TimeProvider>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingInboxLog.Category);
        _handled = services.GetRequiredService<DingEventRouter>().HandledEventTypes.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether deliveries of <paramref name="eventType"/> for <paramref name="appName"/> go through the inbox: the inbox is on for the app
    /// and some module handles the type. Unhandled types are not stored: they are answered <c>success</c> and counted as before.
    /// </summary>
    public bool ShouldStore(string appName, string eventType) => _registration.IsEnabled(appName) && _handled.Contains(eventType);

    /// <summary>
    /// Stores an HTTP push as DingTalk sealed it. Returns <see langword="null"/> when the write failed (logged; the caller answers 500 so
    /// DingTalk redelivers, never <c>success</c>).
    /// </summary>
    public async Task<DingInboxAddResult?> AcceptHttpPushAsync(
        string appName, string eventType, string? stableId, string? corpId, byte[] plaintext, DingSealedMessage envelope, DateTimeOffset receivedAt)
    {
        var (dedupKey, eventId) = DingInboxDedup.DedupKey(eventType, stableId, plaintext);
        var entry = new DingInboxEntry
        {
            AppName = appName,
            Channel = DingDeliveryChannel.HttpPush,
            EventType = eventType,
            DedupKey = dedupKey,
            EventId = eventId,
            CorpId = corpId,
            ReceivedAt = receivedAt,
            Envelope = envelope,
        };

        try
        {
            // Not the request's abort token: once DingTalk's bytes are here, the write completes (or fails) on its own.
            return await AddAsync(entry, plaintext, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DingInboxLog.WriteFailed(_logger, ex, eventType, MetricName(appName));
            return null;
        }
    }

    /// <summary>
    /// Stores a verified stream event (plain JSON from DingTalk's TLS channel): seals <paramref name="data"/> with the app's Token, AesKey and
    /// owner key, deduplicates on the frame's <paramref name="eventId"/> (else a hash of the data). Durable on return; ACK the frame only then.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The app's options are invalid (e.g. no Token/AesKey).</exception>
    /// <exception cref="Exception">The inbox could not store the entry; do not ACK (answer <c>LATER</c>).</exception>
    public ValueTask<DingInboxAddResult> EnqueueStreamEventAsync(
        string appName, string eventType, string? eventId, string? corpId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        EnqueueSealedAsync(DingDeliveryChannel.Stream, appName, eventType, eventId, corpId, data, cancellationToken);

    /// <summary>
    /// Stores an event recovered from DingTalk's failed list (already adapted to its push payload), sealed like a stream event and
    /// deduplicated on <paramref name="eventId"/>, so a recovery never runs what the inbox already holds.
    /// </summary>
    public ValueTask<DingInboxAddResult> EnqueueRecoveredEventAsync(
        string appName, string eventType, string eventId, string? corpId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        EnqueueSealedAsync(DingDeliveryChannel.Recovery, appName, eventType, eventId, corpId, payload, cancellationToken);

    private ValueTask<DingInboxAddResult> EnqueueSealedAsync(
        DingDeliveryChannel channel, string appName, string eventType, string? eventId, string? corpId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        var app = _apps.Get(appName);
        var (dedupKey, id) = DingInboxDedup.DedupKey(eventType, eventId, data.Span);
        var entry = new DingInboxEntry
        {
            AppName = appName,
            Channel = channel,
            EventType = eventType,
            DedupKey = dedupKey,
            EventId = id,
            CorpId = corpId,
            ReceivedAt = _time.GetUtcNow(),
            Envelope = app.Crypto.Seal(data.Span, _time),
        };
        return AddAsync(entry, data.ToArray(), cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="entry"/>; its <paramref name="plaintext"/> is handed to this process's worker
    /// (<see cref="DingInboxOpenedMessages"/>) unless the entry turns out not to be stored. While the worker keeps up and the store
    /// can (<see cref="IDingInboxLeasedAdd"/>), the entry is stored already leased to the worker and handed to it in memory
    /// (<see cref="DingInboxHandoff"/>): no claim statement for it; otherwise the worker is woken to claim it.
    /// </summary>
    private async ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, byte[] plaintext, CancellationToken cancellationToken)
    {
        // Before the write: the worker may claim the entry as soon as it is committed, before this call returns.
        var handedOver = _opened.Put(entry, plaintext);
        var reserved = _leasedAdd is not null && _handoff.TryReserve();
        var result = DingInboxAddResult.Duplicate;
        DingInboxRecord? leased = null;
        var leasedAt = default(DateTimeOffset);
        try
        {
            if (reserved)
            {
                // Cancelled (the stream channel stopping): the write may still store the entry, leased to this worker and never handed
                // over; it is due when its lease expires (with SQLite, at the next start). Shutdown is not held up by a slow store.
                leasedAt = _time.GetUtcNow();
                leased = await _leasedAdd!.AddLeasedAsync(entry, leasedAt, _leaseDuration, cancellationToken).ConfigureAwait(false);
                result = leased is null ? DingInboxAddResult.Duplicate : DingInboxAddResult.Added;
            }
            else
            {
                result = await _inbox.AddAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Not stored (a duplicate, or the write failed): no worker will claim it from this write.
            if (handedOver && result != DingInboxAddResult.Added)
            {
                _opened.Remove(entry);
            }

            if (reserved && leased is null)
            {
                _handoff.Unreserve();
            }
        }

        var app = MetricName(entry.AppName);
        if (result == DingInboxAddResult.Added)
        {
            _metrics.Enqueued(app, entry.Channel);
            if (leased is null)
            {
                _signal.Notify();
            }
            else if (!_handoff.TryPost(leased, leasedAt))
            {
                // The worker stopped (the host is shutting down) while the entry was written: release it now, not when its lease ends.
                await DingInboxLeases.GiveBackAsync(_inbox, [leased], "the worker stopped before it took the entry", _leaseDuration, _logger).ConfigureAwait(false);
                _signal.Notify();
            }
        }
        else
        {
            _metrics.Duplicate(app, entry.Channel);
            DingInboxLog.Duplicate(_logger, entry.EventType, app, entry.EventId);
        }

        return result;
    }

    internal static string MetricName(string appName) => DingGenServiceCollectionExtensions.DisplayName(appName);
}
