namespace DingGen;

/// <summary>
/// A durable inbox of verified DingTalk deliveries: the endpoint (and the stream channel) stores each delivery before
/// answering DingTalk, and a background worker claims, dispatches and completes it. The embedded implementation is
/// <c>DingGen.Inbox.Sqlite</c>; a server database (PostgreSQL, SQL Server, …) can implement it for hosts that scale out.
/// </summary>
/// <remarks>
/// <para>What an implementation must guarantee (the worker and the endpoint rely on each point):</para>
/// <list type="number">
/// <item><description><see cref="AddAsync"/> is durable when it returns: the entry survives a crash of the process (and, for a
/// server database, of the machine) from that moment on, because DingTalk is then told <c>success</c> and will not redeliver.</description></item>
/// <item><description>(<see cref="DingInboxEntry.AppName"/>, <see cref="DingInboxEntry.DedupKey"/>) is unique, atomically: two concurrent
/// adds of one key from any number of processes store one row; the other gets <see cref="DingInboxAddResult.Duplicate"/>. Rows stay
/// (also when done) until <see cref="PurgeDoneAsync"/> removes them, so a late redelivery is still recognised.</description></item>
/// <item><description><see cref="ClaimAsync"/> hands each due entry to one caller at a time: it leases it until <c>now + leaseDuration</c>
/// and increments its attempt count in the same atomic step (<c>SELECT … FOR UPDATE SKIP LOCKED</c> on PostgreSQL). An entry whose
/// lease expired without <see cref="CompleteAsync"/> or <see cref="FailAsync"/> (its worker died) is due again. A store one process owns
/// may also implement <see cref="IDingInboxRestartRecovery"/> so a restarted host resumes those entries at once.</description></item>
/// <item><description>It never stores or logs a decrypted payload: only the sealed envelope it is given.</description></item>
/// </list>
/// <para>Semantics are at-least-once: a worker that dies after a handler ran but before <see cref="CompleteAsync"/> leaves the entry
/// to be claimed again when its lease expires. All times are passed in by the caller (its <see cref="TimeProvider"/>).</para>
/// </remarks>
public interface IDingInbox
{
    /// <summary>
    /// Stores <paramref name="entry"/> as a pending entry due now, unless an entry with the same app and dedup key exists.
    /// Durable on return.
    /// </summary>
    /// <returns><see cref="DingInboxAddResult.Added"/>, or <see cref="DingInboxAddResult.Duplicate"/> when the key is already stored (in any state).</returns>
    /// <exception cref="Exception">The entry could not be stored durably; the caller must not acknowledge the delivery.</exception>
    ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> pending entries that are due at <paramref name="now"/> (next attempt reached, and not
    /// leased or the lease expired), oldest first, until <paramref name="now"/> + <paramref name="leaseDuration"/>, and increments their
    /// attempt count.
    /// </summary>
    /// <returns>The claimed entries, with <see cref="DingInboxRecord.Attempts"/> already counting this attempt.</returns>
    ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks the entry done (kept for deduplication until purged) and releases its lease.</summary>
    ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed attempt: releases the lease and stores <paramref name="errorSummary"/> (exception types and messages, never a
    /// payload). The entry becomes due again at <paramref name="nextAttemptAt"/>, or, when it is <see langword="null"/>, moves to the
    /// dead-letter state, where only an operator's retry (<see cref="IDingInboxAdmin.RetryAsync"/>) brings it back.
    /// </summary>
    ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes done entries completed before <paramref name="completedBefore"/> (the retention job).</summary>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default);

    /// <summary>Counts for metrics and health: pending entries, the oldest pending one, dead letters.</summary>
    ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default);
}

/// <summary>What operators do by hand (the <c>dinggen inbox</c> commands): list, inspect, retry and purge entries.</summary>
public interface IDingInboxAdmin
{
    /// <summary>Lists entries, newest first, optionally of one state.</summary>
    /// <param name="state">Only entries in this state, or all when <see langword="null"/>. <see cref="DingInboxState.Failed"/> means pending after at least one failed attempt.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    ValueTask<IReadOnlyList<DingInboxRecord>> ListAsync(DingInboxState? state, int limit, CancellationToken cancellationToken = default);

    /// <summary>The entry <paramref name="id"/>, or <see langword="null"/>.</summary>
    ValueTask<DingInboxRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a dead or pending entry due at <paramref name="now"/> with a fresh attempt count (its last error is kept until the next
    /// attempt). Done entries are not retried.
    /// </summary>
    /// <returns>Whether the entry existed and was not done.</returns>
    ValueTask<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Makes every dead entry due at <paramref name="now"/> with a fresh attempt count.</summary>
    /// <returns>How many entries were re-queued.</returns>
    ValueTask<int> RetryAllDeadAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes every dead entry (its dedup key goes with it: a later redelivery of that event is stored again).</summary>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> PurgeDeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the dead entry <paramref name="id"/> (its dedup key goes with it); pending and done entries are left alone.</summary>
    /// <returns>Whether a dead entry with that id existed and was deleted.</returns>
    /// <exception cref="NotSupportedException">The store predates this operation and does not implement it.</exception>
    ValueTask<bool> PurgeDeadAsync(long id, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot delete one dead letter; use PurgeDeadAsync() to delete every dead letter.");
}

/// <summary>The outcome of <see cref="IDingInbox.AddAsync"/>.</summary>
public enum DingInboxAddResult
{
    /// <summary>A new entry was stored durably.</summary>
    Added = 0,

    /// <summary>An entry with the same app and dedup key was already stored; nothing was added.</summary>
    Duplicate = 1,
}

/// <summary>The state of an inbox entry.</summary>
public enum DingInboxState
{
    /// <summary>Waiting to be dispatched (first attempt, or a retry after a failure), or leased by a worker.</summary>
    Pending = 0,

    /// <summary>Every handler succeeded (or no handler takes the event type any more); kept for deduplication until purged.</summary>
    Done = 1,

    /// <summary>Failed <see cref="DingInboxOptions.MaxAttempts"/> times: not retried until an operator says so.</summary>
    Dead = 2,

    /// <summary>A filter only (<see cref="IDingInboxAdmin.ListAsync"/>): pending entries that failed at least once.</summary>
    Failed = 3,
}
