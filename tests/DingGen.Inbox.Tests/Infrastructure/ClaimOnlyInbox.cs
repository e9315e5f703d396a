using DingGen.Inbox.Sqlite;
using DingGen.Tests.Shared;

namespace DingGen.Inbox.Tests.Infrastructure;

/// <summary>
/// The SQLite inbox without <see cref="IDingInboxLeasedAdd"/> (as a store that predates it): every entry reaches the worker through
/// claims, which is what the tests of claiming in batches watch. Lease release and batch completion go to the SQLite store.
/// </summary>
public class ClaimOnlyInbox(SqliteDingInbox inner) : DelegatingInbox(inner), IDingInboxLeaseRelease, IDingInboxBatchCompletion
{
    public new SqliteDingInbox Inner => (SqliteDingInbox)base.Inner;

    public virtual ValueTask<int> ReleaseAsync(IReadOnlyList<DingInboxRecord> claimed, CancellationToken cancellationToken = default) =>
        Inner.ReleaseAsync(claimed, cancellationToken);

    public virtual ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Inner.CompleteAsync(ids, now, cancellationToken);
}
