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

    /// <summary>
    /// At least one handler failed (see <see cref="DingRecoveryEntry.FailedHandlers"/>). The entry stays in the
    /// <see cref="IDingRecoveryStore"/> and a later recovery retries it once its backoff has passed, whether or not DingTalk lists it again.
    /// </summary>
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

    /// <summary>
    /// The handlers failed <see cref="DingFailedEventRecovery.MaxAttempts"/> times: the entry is kept in the store as a dead letter, no longer
    /// retried on its own; <see cref="DingFailedEventRecovery.GetDeadLettersAsync"/> lists it and <see cref="DingFailedEventRecovery.RetryDeadLetterAsync"/> retries it.
    /// </summary>
    DeadLettered = 7,

    /// <summary>The entry failed before and waits in the store for its next attempt (backoff); no handler ran this time.</summary>
    Deferred = 8,
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
    /// <summary>
    /// Whether this run did nothing because another run of the same app held the <see cref="IDingRecoveryLock"/> (another replica, or a
    /// concurrent call in this process); <see cref="Entries"/> is then empty and <see cref="Pages"/> is 0. The run holding it does the work.
    /// </summary>
    public bool SkippedBecauseAnotherReplicaIsRecovering { get; init; }

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

    /// <summary>Whether no entry failed, waits for a retry or is dead-lettered (handled, skipped, not handled and invalid entries are all final).</summary>
    public bool Succeeded => Count(DingRecoveryOutcome.Failed) == 0 && Count(DingRecoveryOutcome.DeadLettered) == 0 && Count(DingRecoveryOutcome.Deferred) == 0;
}

/// <summary>
/// Recovers events DingTalk could not deliver: pulls every page of the failed-delivery list through <see cref="DingTalkClient"/>,
/// maps each entry to its push payload (<see cref="DingFailedEventAdapter"/>) and delivers it through the
/// <see cref="DingDeliveryPipeline"/> — the same generated handlers as a live callback — with
/// <see cref="DingEventContext.Channel"/> = <see cref="DingDeliveryChannel.Recovery"/>.
/// </summary>
/// <remarks>
/// <para>Never loses a fetched entry: DingTalk does not say whether reading the failed list consumes it, so every entry is stored
/// durably before its handlers run — in the durable inbox when it is on, otherwise in the <see cref="IDingRecoveryStore"/>. An
/// entry whose handlers fail stays stored and is retried by later recoveries with backoff (<see cref="RetryInitialDelay"/> doubling
/// up to <see cref="RetryMaxDelay"/>, with jitter) until handled, and dead-lettered after <see cref="MaxAttempts"/> attempts.</para>
/// <para>Safe to run twice: handled entries are recorded in the store (tag, event time, SHA-256 of the data) and skipped
/// afterwards. Entries that no module handles are not recorded. DingTalk may list an entry on several pages or calls; within one
/// run each entry is recovered once.</para>
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

    /// <summary>How many times an entry's handlers may fail before it is dead-lettered; default <see cref="DingFailedEventRecoveryOptions.DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts { get; init; } = DingFailedEventRecoveryOptions.DefaultMaxAttempts;

    /// <summary>The wait after an entry's first failure before a recovery retries it; doubles per failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = DingFailedEventRecoveryOptions.DefaultRetryInitialDelay;

    /// <summary>The longest wait between two attempts of an entry.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = DingFailedEventRecoveryOptions.DefaultRetryMaxDelay;

    /// <summary>
    /// The durable inbox, when the host turned it on: recovered events then go through it (deduplicated against the deliveries it
    /// already holds, retried by its worker) instead of being dispatched here.
    /// </summary>
    internal DingInboxWriter? Inbox { get; init; }

    /// <summary>
    /// Lets one recovery of the app run at a time (across replicas when the lock is shared, e.g. the PostgreSQL inbox's); default: a
    /// lock of this instance only.
    /// </summary>
    public IDingRecoveryLock Lock { get; init; } = new DingInProcessRecoveryLock();

    /// <summary>The name of the DingTalk app, passed to handlers as <see cref="DingEventContext.AppName"/>; <see langword="null"/> for the default app.</summary>
    public string? AppName { get; init; }

    /// <summary>Pulls every page of the failed list and recovers each entry.</summary>
    /// <param name="cancellationToken">Stops the recovery between entries and is passed to handlers.</param>
    /// <returns>
    /// One row per distinct entry; or, when another run of the app holds the <see cref="Lock"/>, an empty report with
    /// <see cref="DingRecoveryReport.SkippedBecauseAnotherReplicaIsRecovering"/> set.
    /// </returns>
    /// <exception cref="DingTalkApiException">DingTalk refused the failed-list call (entries recovered before it stay recorded).</exception>
    public async Task<DingRecoveryReport> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var appName = AppName ?? DingGenServiceCollectionExtensions.DefaultAppName;
        var held = await Lock.TryAcquireAsync(appName, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            RecoverySkipped(_logger, appName.Length == 0 ? "(default)" : appName);
            return new DingRecoveryReport([], 0) { SkippedBecauseAnotherReplicaIsRecovering = true };
        }

        await using (held.ConfigureAwait(false))
        {
            return await RecoverLockedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DingRecoveryReport> RecoverLockedAsync(CancellationToken cancellationToken)
    {
        var entries = new List<DingRecoveryEntry>();
        var seen = new HashSet<DingRecoveryKey>();

        // First the entries earlier runs stored and did not finish, whose backoff has passed: DingTalk may never list them again.
        var now = _timeProvider.GetUtcNow();
        foreach (var stored in await _store.ListPendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.State != DingRecoveryEntryState.Pending || !seen.Add(stored.Key))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            entries.Add(stored.NextAttemptAt <= now
                ? await AttemptAsync(stored, cancellationToken).ConfigureAwait(false)
                : Log(new DingRecoveryEntry(stored.Entry.Tag, stored.Entry.EventTime, stored.Key.ToEventId(), DingRecoveryOutcome.Deferred, [], stored.LastError)));
        }

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

    /// <summary>
    /// Recovers one failed-list entry (already pulled), honouring and updating the store. Takes the <see cref="Lock"/> like a whole run,
    /// so it never races a recovery of the same app on this or another replica.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another recovery of the app holds the <see cref="Lock"/>; nothing was done.</exception>
    public async Task<DingRecoveryEntry> RecoverOneAsync(DingFailedEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using (await AcquireOrThrowAsync(cancellationToken).ConfigureAwait(false))
        {
            return await RecoverOneAsync(entry, DingRecoveryKey.For(entry), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entries whose handlers failed <see cref="MaxAttempts"/> times, kept in the store and no longer retried on their own.</summary>
    public async Task<IReadOnlyList<DingRecoveryPendingEntry>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var all = await _store.ListPendingAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(static e => e.State == DingRecoveryEntryState.DeadLettered)];
    }

    /// <summary>
    /// Retries a dead-lettered entry now, by hand: its attempt count starts again, so if it fails it is retried by later recoveries
    /// with backoff before it is dead-lettered again.
    /// </summary>
    /// <param name="key">The entry's key, from <see cref="GetDeadLettersAsync"/>.</param>
    /// <param name="cancellationToken">Passed to the handlers.</param>
    /// <returns>What happened, or <see langword="null"/> when the store holds no dead letter with that key.</returns>
    /// <exception cref="InvalidOperationException">
    /// Another recovery of the app holds the <see cref="Lock"/> (on this or another replica); nothing was done: retry when it has finished.
    /// </exception>
    public async Task<DingRecoveryEntry?> RetryDeadLetterAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await using (await AcquireOrThrowAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = await _store.GetPendingAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.State != DingRecoveryEntryState.DeadLettered)
            {
                return null;
            }

            var revived = stored with { Attempts = 0, State = DingRecoveryEntryState.Pending, NextAttemptAt = _timeProvider.GetUtcNow() };
            await _store.SavePendingAsync(revived, cancellationToken).ConfigureAwait(false);
            return await AttemptAsync(revived, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the app's <see cref="Lock"/> for a single-entry operation, or says clearly why it cannot.</summary>
    private async Task<IAsyncDisposable> AcquireOrThrowAsync(CancellationToken cancellationToken)
    {
        var appName = AppName ?? DingGenServiceCollectionExtensions.DefaultAppName;
        var held = await Lock.TryAcquireAsync(appName, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            RecoverySkipped(_logger, appName.Length == 0 ? "(default)" : appName);
            throw new InvalidOperationException(
                $"Another failed-event recovery of app {(appName.Length == 0 ? "(default)" : "'" + appName + "'")} is running on this or another replica; nothing was done. Try again when it has finished.");
        }

        return held;
    }

    private async Task<DingRecoveryEntry> RecoverOneAsync(DingFailedEvent entry, DingRecoveryKey key, CancellationToken cancellationToken)
    {
        var derivedId = key.ToEventId();
        if (await _store.ContainsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, derivedId, DingRecoveryOutcome.SkippedAlreadyRecovered, [], null));
        }

        if (await _store.GetPendingAsync(key, cancellationToken).ConfigureAwait(false) is { } known)
        {
            // Stored by an earlier run and not yet due (due ones ran first): DingTalk listed it again; its backoff stands.
            var outcome = known.State == DingRecoveryEntryState.DeadLettered ? DingRecoveryOutcome.DeadLettered : DingRecoveryOutcome.Deferred;
            return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, derivedId, outcome, [], known.LastError));
        }

        if (!DingFailedEventAdapter.TryAdapt(entry, out _, out var error))
        {
            return Log(new DingRecoveryEntry(entry.Tag ?? string.Empty, entry.EventTime, derivedId, DingRecoveryOutcome.InvalidEntry, [], error));
        }

        var pending = new DingRecoveryPendingEntry(key, entry, 0, _timeProvider.GetUtcNow(), DingRecoveryEntryState.Pending, null);
        if (!WillUseInbox(entry))
        {
            // Stored before any handler runs: if this process dies or the handlers fail, the next recovery still has it.
            await _store.SavePendingAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        return await AttemptAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private bool WillUseInbox(DingFailedEvent entry)
    {
        var eventType = _pipeline.Router.TryMatchEventType(System.Text.Encoding.UTF8.GetBytes(entry.Tag), out var interned) ? interned : entry.Tag;
        return Inbox is { } inbox && inbox.ShouldStore(AppName ?? DingGenServiceCollectionExtensions.DefaultAppName, eventType);
    }

    /// <summary>Runs (or hands to the inbox) one stored entry and records the result: handled, rescheduled with backoff, or dead-lettered.</summary>
    private async Task<DingRecoveryEntry> AttemptAsync(DingRecoveryPendingEntry pending, CancellationToken cancellationToken)
    {
        var entry = pending.Entry;
        var key = pending.Key;
        var derivedId = key.ToEventId();
        if (!DingFailedEventAdapter.TryAdapt(entry, out var adapted, out var error))
        {
            await _store.RemovePendingAsync(key, cancellationToken).ConfigureAwait(false);
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
            // The inbox is durable and retries on its own, with its own dead-letter state.
            DingInboxAddResult stored;
            try
            {
                stored = await inbox.EnqueueRecoveredEventAsync(appName, eventType, eventId, corpId, adapted.Payload, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The inbox could not store it, and DingTalk may not list it again: keep it in the recovery store, as a failed attempt.
                return await RescheduleAsync(pending, eventId, [], "the durable inbox could not store it: " + ex.Message, cancellationToken).ConfigureAwait(false);
            }

            await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
            var outcome = stored == DingInboxAddResult.Added ? DingRecoveryOutcome.Enqueued : DingRecoveryOutcome.AlreadyInInbox;
            return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, outcome, [], null));
        }

        var delivery = new DingDelivery(eventType, adapted.Payload)
        {
            Channel = DingDeliveryChannel.Recovery,
            AppName = appName,
            EventId = eventId,
            CorpId = corpId,
            ReceivedAt = _timeProvider.GetUtcNow(),
            Attempt = pending.Attempts + 1,
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
                return await RescheduleAsync(pending, eventId, names, first, cancellationToken).ConfigureAwait(false);
            default:
                await _store.RemovePendingAsync(key, cancellationToken).ConfigureAwait(false);
                return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, DingRecoveryOutcome.NotHandled, [], null));
        }
    }

    /// <summary>Counts a failed attempt of <paramref name="pending"/>: stored again with backoff, or dead-lettered after <see cref="MaxAttempts"/>.</summary>
    private async Task<DingRecoveryEntry> RescheduleAsync(DingRecoveryPendingEntry pending, string eventId, IReadOnlyList<string> failedHandlers, string? error, CancellationToken cancellationToken)
    {
        var attempts = pending.Attempts + 1;
        var dead = attempts >= MaxAttempts;
        var next = _timeProvider.GetUtcNow() + (dead ? TimeSpan.Zero : DingBackoff.Delay(attempts, RetryInitialDelay, RetryMaxDelay, Random.Shared.NextDouble()));
        var lastError = failedHandlers.Count > 0 ? $"{failedHandlers[0]}: {error}" : error;
        await _store.SavePendingAsync(
            pending with { Attempts = attempts, NextAttemptAt = next, State = dead ? DingRecoveryEntryState.DeadLettered : DingRecoveryEntryState.Pending, LastError = lastError },
            cancellationToken).ConfigureAwait(false);
        var entry = pending.Entry;
        return Log(new DingRecoveryEntry(entry.Tag, entry.EventTime, eventId, dead ? DingRecoveryOutcome.DeadLettered : DingRecoveryOutcome.Failed, failedHandlers, error));
    }

    private DingRecoveryEntry Log(DingRecoveryEntry entry)
    {
        EntryRecovered(_logger, entry.Tag, entry.EventTime, entry.Outcome, entry.EventId);
        return entry;
    }

    [LoggerMessage(EventId = 60, EventName = "FailedEventRecovered", Level = LogLevel.Information,
        Message = "Recovered failed DingTalk event {EventType} of {EventTime:o}: {Outcome} (event {EventId}).")]
    private static partial void EntryRecovered(ILogger logger, string eventType, DateTimeOffset eventTime, DingRecoveryOutcome outcome, string eventId);

    [LoggerMessage(EventId = 61, EventName = "FailedEventRecoverySkipped", Level = LogLevel.Information,
        Message = "Failed-event recovery of app {AppName} skipped: another replica (or run) is recovering it.")]
    private static partial void RecoverySkipped(ILogger logger, string appName);
}
