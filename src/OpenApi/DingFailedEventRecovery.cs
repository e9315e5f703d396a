using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DingGen;

/// <summary>What happened to one failed-list entry during a recovery.</summary>
public enum DingRecoveryOutcome
{
    /// <summary>Every handler of the event ran and succeeded; the entry is recorded and skipped next time.</summary>
    Handled = 0,

    /// <summary>No module handles the event type; not recorded (a handler added later will get it).</summary>
    NotHandled = 1,

    /// <summary>At least one handler failed (see <see cref="DingRecoveryEntry.FailedHandlers"/>); not recorded, so the next recovery retries it.</summary>
    Failed = 2,

    /// <summary>An earlier recovery handled this entry (same tag, event time and data); no handler ran.</summary>
    SkippedAlreadyRecovered = 3,

    /// <summary>The entry could not be turned into a payload (see <see cref="DingRecoveryEntry.Error"/>); no handler ran.</summary>
    InvalidEntry = 4,

    /// <summary>
    /// The durable inbox is on: the event was committed to it (channel <see cref="DingDeliveryChannel.Recovery"/>) and its worker runs
    /// the handlers, with retries and a dead-letter state; the entry is recorded.
    /// </summary>
    Enqueued = 5,

    /// <summary>The durable inbox is on and already holds this event (DingTalk delivered it after all, or a recovery stored it); not stored again.</summary>
    AlreadyInInbox = 6,
}

/// <summary>The recovery of one failed-list entry.</summary>
/// <param name="Tag">The entry's event tag.</param>
/// <param name="EventTime">The entry's event time.</param>
/// <param name="EventId">The <see cref="DingEventContext.EventId"/> the handlers saw (payload <c>eventId</c>/<c>BizId</c>, else derived from the entry).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="FailedHandlers">The handlers that failed (<see cref="DingRecoveryOutcome.Failed"/>), as <c>Type.Method</c>.</param>
/// <param name="Error">Why the entry was invalid, or the first handler's failure message; never the payload.</param>
public sealed record DingRecoveryEntry(string Tag, DateTimeOffset EventTime, string EventId, DingRecoveryOutcome Outcome, IReadOnlyList<string> FailedHandlers, string? Error);

/// <summary>The result of <see cref="DingFailedEventRecovery.RecoverAsync"/>: one row per distinct failed-list entry.</summary>
/// <param name="Entries">Every entry, in the order DingTalk listed them.</param>
/// <param name="Pages">How many pages of the failed list were read.</param>
public sealed record DingRecoveryReport(IReadOnlyList<DingRecoveryEntry> Entries, int Pages)
{
    /// <summary>How many entries had <paramref name="outcome"/>.</summary>
    public int Count(DingRecoveryOutcome outcome)
    {
        var count = 0;
        foreach (var entry in Entries)
        {
            count += entry.Outcome == outcome ? 1 : 0;
        }

        return count;
    }

    /// <summary>Whether no entry failed (handled, skipped, not handled and invalid entries are all final).</summary>
    public bool Succeeded => Count(DingRecoveryOutcome.Failed) == 0;
}

/// <summary>
/// Recovers events DingTalk could not deliver: pulls every page of the failed-delivery list through <see cref="DingTalkClient"/>,
/// maps each entry to its push payload (<see cref="DingFailedEventAdapter"/>) and delivers it through the
/// <see cref="DingDeliveryPipeline"/> — the same generated handlers as a live callback — with
/// <see cref="DingEventContext.Channel"/> = <see cref="DingDeliveryChannel.Recovery"/>.
/// </summary>
/// <remarks>
/// Safe to run twice: handled entries are recorded in an <see cref="IDingRecoveryStore"/> (tag, event time, SHA-256 of the data)
/// and skipped afterwards. Entries that failed or that no module handles are not recorded, so a later run tries them again.
/// DingTalk may list an entry on several pages or calls; within one run each entry is recovered once.
/// Register with <see cref="DingFailedEventRecoveryServiceCollectionExtensions.AddFailedEventRecovery"/>.
/// </remarks>
public sealed partial class DingFailedEventRecovery
{
    /// <summary>The most pages one recovery reads, since DingTalk's list has no cursor and could repeat forever.</summary>
    public const int DefaultMaxPages = 50;

    private readonly DingTalkClient _client;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly IDingRecoveryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a recovery.</summary>
    /// <param name="client">The app's DingTalk server API client.</param>
    /// <param name="pipeline">The delivery pipeline (every module's handlers, a DI scope per event, logs and metrics).</param>
    /// <param name="store">Where handled entries are recorded.</param>
    /// <param name="timeProvider">The clock for <see cref="DingEventContext.ReceivedAt"/> and handler durations.</param>
    /// <param name="logger">Logs one line per entry (tag, time, outcome; never the payload).</param>
    public DingFailedEventRecovery(DingTalkClient client, DingDeliveryPipeline pipeline, IDingRecoveryStore store, TimeProvider? timeProvider = null, ILogger<DingFailedEventRecovery>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(store);
        _client = client;
        _pipeline = pipeline;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The most pages of the failed list one recovery reads; default <see cref="DefaultMaxPages"/>.</summary>
    public int MaxPages { get; init; } = DefaultMaxPages;

    /// <summary>
    /// The durable inbox, when the host turned it on: recovered events then go through it (deduplicated against the deliveries it
    /// already holds, retried by its worker) instead of being dispatched here.
    /// </summary>
    internal DingInboxWriter? Inbox { get; init; }

    /// <summary>The name of the DingTalk app, passed to handlers as <see cref="DingEventContext.AppName"/>; <see langword="null"/> for the default app.</summary>
    public string? AppName { get; init; }

    /// <summary>Pulls every page of the failed list and recovers each entry.</summary>
    /// <param name="cancellationToken">Stops the recovery between entries and is passed to handlers.</param>
    /// <returns>One row per distinct entry.</returns>
    /// <exception cref="DingTalkApiException">DingTalk refused the failed-list call (entries recovered before it stay recorded).</exception>
    public async Task<DingRecoveryReport> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<DingRecoveryEntry>();
        var seen = new HashSet<DingRecoveryKey>();
        var pages = 0;
        while (pages < MaxPages)
        {
            var page = await _client.GetFailedEventsAsync(cancellationToken).ConfigureAwait(false);
            pages++;
            var fresh = 0;
            foreach (var failed in page.Events)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = DingRecoveryKey.For(failed);
                if (!seen.Add(key))
                {
                    continue;
                }

                fresh++;
                entries.Add(await RecoverOneAsync(failed, key, cancellationToken).ConfigureAwait(false));
            }

            // Stop when DingTalk says so, or when a page brought nothing new (the list repeats itself).
            if (!page.HasMore || fresh == 0)
            {
                break;
            }
        }

        return new DingRecoveryReport(entries, pages);
    }

    /// <summary>Recovers one failed-list entry (already pulled), honouring and updating the store.</summary>
    public Task<DingRecoveryEntry> RecoverOneAsync(DingFailedEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return RecoverOneAsync(entry, DingRecoveryKey.For(entry), cancellationToken);
    }

    private async Task<DingRecoveryEntry> RecoverOneAsync(DingFailedEvent entry, DingRecoveryKey key, CancellationToken cancellationToken)
    {
        var derivedId = key.ToEventId();
        if (await _store.ContainsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, derivedId, DingRecoveryOutcome.SkippedAlreadyRecovered, [], null));
        }

        if (!DingFailedEventAdapter.TryAdapt(entry, out var adapted, out var error))
        {
            return Log(new DingRecoveryEntry(entry.Tag ?? string.Empty, entry.EventTime, derivedId, DingRecoveryOutcome.InvalidEntry, [], error));
        }

        string? stableId = null;
        string? corpId = entry.CorpId;
        if (DingEnvelope.TryRead(adapted.Payload.Span, out var envelope, out _))
        {
            stableId = envelope.StableId;
            corpId = envelope.CorpId ?? corpId;
        }

        var eventId = stableId ?? derivedId;
        var eventType = _pipeline.Router.TryMatchEventType(System.Text.Encoding.UTF8.GetBytes(entry.Tag), out var interned) ? interned : entry.Tag;
        var appName = AppName ?? DingGenServiceCollectionExtensions.DefaultAppName;
        if (Inbox is { } inbox && inbox.ShouldStore(appName, eventType))
        {
            var stored = await inbox.EnqueueRecoveredEventAsync(appName, eventType, eventId, corpId, adapted.Payload, cancellationToken).ConfigureAwait(false);
            await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
            var outcome = stored == DingInboxAddResult.Added ? DingRecoveryOutcome.Enqueued : DingRecoveryOutcome.AlreadyInInbox;
            return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, outcome, [], null));
        }

        var delivery = new DingDelivery(eventType, adapted.Payload)
        {
            Channel = DingDeliveryChannel.Recovery,
            AppName = AppName ?? DingGenServiceCollectionExtensions.DefaultAppName,
            EventId = eventId,
            CorpId = corpId,
            ReceivedAt = _timeProvider.GetUtcNow(),
        };
        var result = await _pipeline.DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        switch (result.Status)
        {
            case DingDispatchStatus.Handled:
                await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
                return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, DingRecoveryOutcome.Handled, [], null));
            case DingDispatchStatus.Failed:
                var names = new List<string>(result.Failures.Count);
                foreach (var failure in result.Failures)
                {
                    names.Add(failure.HandlerName);
                }

                var first = result.Failures.Count > 0 ? result.Failures[0].Exception.Message : null;
                return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, DingRecoveryOutcome.Failed, names, first));
            default:
                return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, DingRecoveryOutcome.NotHandled, [], null));
        }
    }

    private DingRecoveryEntry Log(DingRecoveryEntry entry)
    {
        EntryRecovered(_logger, entry.Tag, entry.EventTime, entry.Outcome, entry.EventId);
        return entry;
    }

    [LoggerMessage(EventId = 60, EventName = "FailedEventRecovered", Level = LogLevel.Information,
        Message = "Recovered failed DingTalk event {EventType} of {EventTime:o}: {Outcome} (event {EventId}).")]
    private static partial void EntryRecovered(ILogger logger, string eventType, DateTimeOffset eventTime, DingRecoveryOutcome outcome, string eventId);
}
