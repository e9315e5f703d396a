namespace DingGen;

/// <summary>
/// Optional for an <see cref="IDingInbox"/>: gives entries back that a worker claimed but never started (it claims in batches and
/// keeps them in a local queue), so they are due again at once instead of when their leases expire. The worker calls it on shutdown
/// and for queued entries whose lease ran (nearly) out before a slot was free.
/// </summary>
public interface IDingInboxLeaseRelease
{
    /// <summary>
    /// For each record, as returned by <see cref="IDingInbox.ClaimAsync"/>: when the entry is still pending under exactly that claim
    /// (same <see cref="DingInboxRecord.Attempts"/> and <see cref="DingInboxRecord.LeasedUntil"/>), clears its lease and takes back the
    /// attempt the claim counted. An entry claimed again by another worker since (its lease expired), completed or failed is left alone.
    /// </summary>
    /// <param name="claimed">The claimed records that never ran.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries were released.</returns>
    ValueTask<int> ReleaseAsync(IReadOnlyList<DingInboxRecord> claimed, CancellationToken cancellationToken = default);
}
