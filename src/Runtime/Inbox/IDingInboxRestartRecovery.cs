namespace DingGen;

/// <summary>
/// Optional for an <see cref="IDingInbox"/> whose entries are processed by one host process at a time (the embedded SQLite inbox):
/// when that process restarts, every lease still in the store belongs to the process that died, so its entries can be claimed again
/// at once instead of when their leases expire. The worker calls it once at start-up.
/// </summary>
/// <remarks>
/// A store shared by several machines must not implement this by releasing every lease (it would take entries other workers are
/// running); such stores rely on lease expiry, or release only the leases of the worker identity that restarted.
/// </remarks>
public interface IDingInboxRestartRecovery
{
    /// <summary>Releases the leases a previous, dead process left on pending entries.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries became claimable again.</returns>
    ValueTask<int> ReleaseStaleLeasesAsync(CancellationToken cancellationToken = default);
}
