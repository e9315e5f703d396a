namespace DingGen;

/// <summary>
/// Optional for an <see cref="IDingInbox"/>: marks many entries done in one write. The worker frees a handler slot as soon as the
/// handlers of an entry succeeded and records the completions of all finished entries together, so a backlog costs one write per
/// batch of completions instead of one per entry. Without it the worker calls <see cref="IDingInbox.CompleteAsync"/> for each entry
/// of the batch at once (a store that groups concurrent calls, as both DingGen stores do, still writes them together).
/// </summary>
public interface IDingInboxBatchCompletion
{
    /// <summary>
    /// Marks every entry in <paramref name="ids"/> done at <paramref name="now"/>, as <see cref="IDingInbox.CompleteAsync"/> does for
    /// one; durable on return. All or nothing is preferred; an entry left pending by a failure runs again when its lease expires.
    /// </summary>
    /// <param name="ids">The entries whose handlers succeeded; each at most once.</param>
    /// <param name="now">The completion time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default);
}
