namespace DingGen.Tests.Shared;

/// <summary>
/// An <see cref="IDingInbox"/> that passes every call to <paramref name="inner"/>; a test overrides the calls it changes or watches
/// (a store that refuses writes, holds completions, counts reads, …).
/// </summary>
public class DelegatingInbox(IDingInbox inner) : IDingInbox
{
    /// <summary>The store every call goes to.</summary>
    public IDingInbox Inner => inner;

    public virtual ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default) =>
        inner.AddAsync(entry, cancellationToken);

    public virtual ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        inner.ClaimAsync(maxCount, now, leaseDuration, cancellationToken);

    public virtual ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(id, now, cancellationToken);

    public virtual ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.FailAsync(id, errorSummary, nextAttemptAt, now, cancellationToken);

    public virtual ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) =>
        inner.PurgeDoneAsync(completedBefore, cancellationToken);

    public virtual ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default) => inner.GetStatsAsync(cancellationToken);
}
