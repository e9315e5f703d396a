using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>What the worker, the endpoint and the stores share about leases: the lease of a leased add, its record, giving leases back.</summary>
internal static class DingInboxLeases
{
    /// <summary>
    /// The end of a lease taken at <paramref name="now"/>, in whole milliseconds: the precision both stores keep, so a record's
    /// <see cref="DingInboxRecord.LeasedUntil"/> is exactly the stored one (a release matches on it).
    /// </summary>
    public static DateTimeOffset End(DateTimeOffset now, TimeSpan leaseDuration) =>
        DateTimeOffset.FromUnixTimeMilliseconds((now + leaseDuration).ToUnixTimeMilliseconds());

    /// <summary>The record of an entry stored leased (<see cref="IDingInboxLeasedAdd"/>), as a claim would have returned it.</summary>
    public static DingInboxRecord LeasedRecord(long id, DingInboxEntry entry, DateTimeOffset nextAttemptAt, DateTimeOffset leasedUntil) => new()
    {
        Id = id,
        Entry = entry,
        State = DingInboxState.Pending,
        Attempts = 1,
        NextAttemptAt = nextAttemptAt,
        LeasedUntil = leasedUntil,
    };

    /// <summary>
    /// Gives back leased entries that never started (<see cref="IDingInboxLeaseRelease"/>; without it they are due when their leases
    /// expire, and the log says so). Never throws: a failure is logged and the leases expire.
    /// </summary>
    public static async ValueTask GiveBackAsync(IDingInbox inbox, IReadOnlyList<DingInboxRecord> records, string reason, TimeSpan leaseDuration, ILogger logger)
    {
        if (inbox is not IDingInboxLeaseRelease release)
        {
            DingInboxLog.ClaimsLeftToExpire(logger, records.Count, reason, leaseDuration.TotalSeconds);
            return;
        }

        try
        {
            var released = await release.ReleaseAsync(records, CancellationToken.None).ConfigureAwait(false);
            DingInboxLog.ClaimsReleased(logger, records.Count, released, reason);
        }
        catch (Exception ex)
        {
            DingInboxLog.StoreFailed(logger, ex, "releasing unstarted claims", leaseDuration.TotalMilliseconds);
        }
    }
}
