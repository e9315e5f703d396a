namespace DingGen;

/// <summary>
/// Optional for an <see cref="IDingInbox"/>: stores an entry already leased to the caller, as if <see cref="IDingInbox.AddAsync"/>
/// and a <see cref="IDingInbox.ClaimAsync"/> that took it had run in one write. The endpoint uses it while this process's worker keeps
/// up with the intake and has room: the worker then runs the entry it was handed in memory, and a worker that keeps up makes no
/// claim statement at all (one write per event fewer; with a server database, one statement and one commit fewer).
/// </summary>
/// <remarks>
/// The entry is leased exactly as a claim would lease it: another worker takes it only once the lease expired (this process died, or
/// its worker did not start it in time), and <see cref="IDingInboxLeaseRelease.ReleaseAsync"/> gives it back like a claimed entry.
/// </remarks>
public interface IDingInboxLeasedAdd
{
    /// <summary>
    /// Stores <paramref name="entry"/> as <see cref="IDingInbox.AddAsync"/> does (durable on return; unique per app and dedup key),
    /// but leased until <paramref name="now"/> + <paramref name="leaseDuration"/> with one attempt counted, so no claim returns it
    /// before the lease expires.
    /// </summary>
    /// <param name="entry">The verified delivery.</param>
    /// <param name="now">The time of the lease (the caller's <see cref="TimeProvider"/>).</param>
    /// <param name="leaseDuration">How long the caller holds the entry.</param>
    /// <param name="cancellationToken">Stops the wait, not the write: an entry already sent to the store may still be stored.</param>
    /// <returns>
    /// The stored entry as <see cref="IDingInbox.ClaimAsync"/> would have returned it (pending, <see cref="DingInboxRecord.Attempts"/> 1,
    /// leased until <paramref name="now"/> + <paramref name="leaseDuration"/>), or <see langword="null"/> when the key is already stored
    /// (a duplicate: nothing was written).
    /// </returns>
    /// <exception cref="Exception">The entry could not be stored durably; the caller must not acknowledge the delivery.</exception>
    ValueTask<DingInboxRecord?> AddLeasedAsync(DingInboxEntry entry, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default);
}
