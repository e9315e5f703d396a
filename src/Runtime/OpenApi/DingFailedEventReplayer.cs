using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DingGen;

/// <summary>What happened to one failed-list entry during a replay.</summary>
public enum DingReplayOutcome
{
    /// <summary>Every handler of the event ran and succeeded; the entry is recorded and skipped next time.</summary>
    Handled = 0,

    /// <summary>No module handles the event type; not recorded (a handler added later will get it).</summary>
    NotHandled = 1,

    /// <summary>At least one handler failed (see <see cref="DingReplayEntry.FailedHandlers"/>); not recorded, so the next replay retries it.</summary>
    Failed = 2,

    /// <summary>An earlier replay handled this entry (same tag, event time and data); no handler ran.</summary>
    SkippedAlreadyReplayed = 3,

    /// <summary>The entry could not be turned into a payload (see <see cref="DingReplayEntry.Error"/>); no handler ran.</summary>
    InvalidEntry = 4,

    /// <summary>
    /// The durable inbox is on: the event was committed to it (channel <see cref="DingDeliveryChannel.Replay"/>) and its worker runs
    /// the handlers, with retries and a dead-letter state; the entry is recorded.
    /// </summary>
    Enqueued = 5,

    /// <summary>The durable inbox is on and already holds this event (DingTalk delivered it after all, or a replay stored it); not stored again.</summary>
    AlreadyInInbox = 6,
}

/// <summary>The replay of one failed-list entry.</summary>
/// <param name="Tag">The entry's event tag.</param>
/// <param name="EventTime">The entry's event time.</param>
/// <param name="EventId">The <see cref="DingEventContext.EventId"/> the handlers saw (payload <c>eventId</c>/<c>BizId</c>, else derived from the entry).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="FailedHandlers">The handlers that failed (<see cref="DingReplayOutcome.Failed"/>), as <c>Type.Method</c>.</param>
/// <param name="Error">Why the entry was invalid, or the first handler's failure message; never the payload.</param>
public sealed record DingReplayEntry(string Tag, DateTimeOffset EventTime, string EventId, DingReplayOutcome Outcome, IReadOnlyList<string> FailedHandlers, string? Error);

/// <summary>The result of <see cref="DingFailedEventReplayer.ReplayAsync"/>: one row per distinct failed-list entry.</summary>
/// <param name="Entries">Every entry, in the order DingTalk listed them.</param>
/// <param name="Pages">How many pages of the failed list were read.</param>
public sealed record DingReplayReport(IReadOnlyList<DingReplayEntry> Entries, int Pages)
{
    /// <summary>How many entries had <paramref name="outcome"/>.</summary>
    public int Count(DingReplayOutcome outcome)
    {
        var count = 0;
        foreach (var entry in Entries)
        {
            count += entry.Outcome == outcome ? 1 : 0;
        }

        return count;
    }

    /// <summary>Whether no entry failed (handled, skipped, not handled and invalid entries are all final).</summary>
    public bool Succeeded => Count(DingReplayOutcome.Failed) == 0;
}

/// <summary>
/// Recovers events DingTalk could not deliver: pulls every page of the failed-delivery list through <see cref="DingTalkClient"/>,
/// maps each entry to its push payload (<see cref="DingFailedEventAdapter"/>) and dispatches it through the
/// <see cref="DingEventRouter"/> — the same generated handlers as a live callback — with
/// <see cref="DingEventContext.Channel"/> = <see cref="DingDeliveryChannel.Replay"/> and a DI scope per event.
/// </summary>
/// <remarks>
/// Safe to run twice: handled entries are recorded in an <see cref="IDingReplayStore"/> (tag, event time, SHA-256 of the data)
/// and skipped afterwards. Entries that failed or that no module handles are not recorded, so a later run tries them again.
/// DingTalk may list an entry on several pages or calls; within one run each entry is replayed once.
/// Register with <see cref="DingFailedEventReplayServiceCollectionExtensions.AddFailedEventReplay"/>.
/// </remarks>
public sealed partial class DingFailedEventReplayer
{
    /// <summary>The most pages one replay reads, since DingTalk's list has no cursor and could repeat forever.</summary>
    public const int DefaultMaxPages = 50;

    private readonly DingTalkClient _client;
    private readonly DingEventRouter _router;
    private readonly IServiceScopeFactory _scopes;
    private readonly IDingReplayStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a replayer.</summary>
    /// <param name="client">The app's DingTalk server API client.</param>
    /// <param name="router">The handlers of every module.</param>
    /// <param name="scopes">Creates the DI scope each event's handlers are resolved in.</param>
    /// <param name="store">Where handled entries are recorded.</param>
    /// <param name="timeProvider">The clock for <see cref="DingEventContext.ReceivedAt"/> and handler durations.</param>
    /// <param name="logger">Logs one line per entry (tag, time, outcome; never the payload).</param>
    public DingFailedEventReplayer(DingTalkClient client, DingEventRouter router, IServiceScopeFactory scopes, IDingReplayStore store, TimeProvider? timeProvider = null, ILogger<DingFailedEventReplayer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(store);
        _client = client;
        _router = router;
        _scopes = scopes;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The most pages of the failed list one replay reads; default <see cref="DefaultMaxPages"/>.</summary>
    public int MaxPages { get; init; } = DefaultMaxPages;

    /// <summary>
    /// The durable inbox, when the host turned it on: replayed events then go through it (deduplicated against the deliveries it
    /// already holds, retried by its worker) instead of being dispatched here.
    /// </summary>
    internal DingInboxWriter? Inbox { get; init; }

    /// <summary>The name of the DingTalk app, passed to handlers as <see cref="DingEventContext.AppName"/>; <see langword="null"/> for the default app.</summary>
    public string? AppName { get; init; }

    /// <summary>Pulls every page of the failed list and replays each entry.</summary>
    /// <param name="cancellationToken">Stops the replay between entries and is passed to handlers.</param>
    /// <returns>One row per distinct entry.</returns>
    /// <exception cref="DingTalkApiException">DingTalk refused the failed-list call (entries replayed before it stay recorded).</exception>
    public async Task<DingReplayReport> ReplayAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<DingReplayEntry>();
        var seen = new HashSet<DingReplayKey>();
        var pages = 0;
        while (pages < MaxPages)
        {
            var page = await _client.GetFailedEventsAsync(cancellationToken).ConfigureAwait(false);
            pages++;
            var fresh = 0;
            foreach (var failed in page.Events)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = DingReplayKey.For(failed);
                if (!seen.Add(key))
                {
                    continue;
                }

                fresh++;
                entries.Add(await ReplayOneAsync(failed, key, cancellationToken).ConfigureAwait(false));
            }

            // Stop when DingTalk says so, or when a page brought nothing new (the list repeats itself).
            if (!page.HasMore || fresh == 0)
            {
                break;
            }
        }

        return new DingReplayReport(entries, pages);
    }

    /// <summary>Replays one failed-list entry (already pulled), honouring and updating the store.</summary>
    public Task<DingReplayEntry> ReplayOneAsync(DingFailedEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ReplayOneAsync(entry, DingReplayKey.For(entry), cancellationToken);
    }

    private async Task<DingReplayEntry> ReplayOneAsync(DingFailedEvent entry, DingReplayKey key, CancellationToken cancellationToken)
    {
        var derivedId = key.ToEventId();
        if (await _store.ContainsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return Log(new DingReplayEntry(entry.Tag, entry.EventTime, derivedId, DingReplayOutcome.SkippedAlreadyReplayed, [], null));
        }

        if (!DingFailedEventAdapter.TryAdapt(entry, out var adapted, out var error))
        {
            return Log(new DingReplayEntry(entry.Tag ?? string.Empty, entry.EventTime, derivedId, DingReplayOutcome.InvalidEntry, [], error));
        }

        string? stableId = null;
        string? corpId = entry.CorpId;
        if (DingEnvelope.TryRead(adapted.Payload.Span, out var envelope, out _))
        {
            stableId = envelope.StableId;
            corpId = envelope.CorpId ?? corpId;
        }

        var eventId = stableId ?? derivedId;
        var eventType = _router.TryMatchEventType(System.Text.Encoding.UTF8.GetBytes(entry.Tag), out var interned) ? interned : entry.Tag;
        var appName = AppName ?? DingGenServiceCollectionExtensions.DefaultAppName;
        if (Inbox is { } inbox && inbox.ShouldStore(appName, eventType))
        {
            var stored = await inbox.EnqueueReplayedEventAsync(appName, eventType, eventId, corpId, adapted.Payload, cancellationToken).ConfigureAwait(false);
            await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
            var outcome = stored == DingInboxAddResult.Added ? DingReplayOutcome.Enqueued : DingReplayOutcome.AlreadyInInbox;
            return Log(new DingReplayEntry(entry.Tag, entry.EventTime, eventId, outcome, [], null));
        }

        DingDispatchResult result;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            var context = new DingEventContext(eventType, adapted.Payload, scope.ServiceProvider)
            {
                EventId = eventId,
                CorpId = corpId,
                Channel = DingDeliveryChannel.Replay,
                ReceivedAt = _timeProvider.GetUtcNow(),
                AppName = AppName,
                CancellationToken = cancellationToken,
                TimeProvider = _timeProvider,
            };

            try
            {
                result = await _router.DispatchAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = DingDispatchResult.Failed([new DingHandlerFailure("(dispatcher)", eventType, ex)]);
            }
        }

        switch (result.Status)
        {
            case DingDispatchStatus.Handled:
                await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
                return Log(new DingReplayEntry(entry.Tag, entry.EventTime, eventId, DingReplayOutcome.Handled, [], null));
            case DingDispatchStatus.Failed:
                var names = new List<string>(result.Failures.Count);
                foreach (var failure in result.Failures)
                {
                    names.Add(failure.HandlerName);
                    ReplayHandlerFailed(_logger, failure.Exception, failure.HandlerName, entry.Tag);
                }

                var first = result.Failures.Count > 0 ? result.Failures[0].Exception.Message : null;
                return Log(new DingReplayEntry(entry.Tag, entry.EventTime, eventId, DingReplayOutcome.Failed, names, first));
            default:
                return Log(new DingReplayEntry(entry.Tag, entry.EventTime, eventId, DingReplayOutcome.NotHandled, [], null));
        }
    }

    private DingReplayEntry Log(DingReplayEntry entry)
    {
        EntryReplayed(_logger, entry.Tag, entry.EventTime, entry.Outcome, entry.EventId);
        return entry;
    }

    [LoggerMessage(EventId = 60, EventName = "FailedEventReplayed", Level = LogLevel.Information,
        Message = "Replayed failed DingTalk event {EventType} of {EventTime:o}: {Outcome} (event {EventId}).")]
    private static partial void EntryReplayed(ILogger logger, string eventType, DateTimeOffset eventTime, DingReplayOutcome outcome, string eventId);

    [LoggerMessage(EventId = 61, EventName = "FailedEventReplayHandlerFailed", Level = LogLevel.Error,
        Message = "Handler {HandlerName} failed replaying the failed DingTalk event {EventType}; it stays unrecorded and is retried by the next replay.")]
    private static partial void ReplayHandlerFailed(ILogger logger, Exception exception, string handlerName, string eventType);
}
