namespace DingGen;

/// <summary>
/// Decides which replica holds an app's Stream connection when several replicas of a host run: the holder renews a lease in a store
/// every replica shares; the others wait and take over when it expires (the holder died) or is released (the holder shut down).
/// Without one (the default), every process opens its own connection. The PostgreSQL inbox registers one.
/// </summary>
/// <remarks>
/// Times come from the caller's <see cref="TimeProvider"/>; replicas' clocks should agree to well within
/// <see cref="DingStreamOptions.LeaseTimeout"/> (NTP does).
/// </remarks>
public interface IDingStreamLease
{
    /// <summary>This replica's name as the lease records it (default: machine name and process id).</summary>
    string ReplicaId { get; }

    /// <summary>
    /// Takes the lease of <paramref name="appName"/>'s connection until <paramref name="now"/> + <paramref name="duration"/> when it is
    /// free, expired or already this replica's (a renewal); otherwise leaves it.
    /// </summary>
    /// <returns>Who holds the lease after the call.</returns>
    ValueTask<DingStreamLeaseState> TryAcquireAsync(string appName, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up at once if this replica holds it, so another replica takes over without waiting for expiry.</summary>
    ValueTask ReleaseAsync(string appName, CancellationToken cancellationToken = default);
}

/// <summary>The holder of a stream-connection lease after <see cref="IDingStreamLease.TryAcquireAsync"/>.</summary>
/// <param name="Held">Whether this replica holds it.</param>
/// <param name="Holder">The replica that holds it (this one when <paramref name="Held"/>), or <see langword="null"/> when unknown.</param>
/// <param name="ExpiresAt">When the holder's lease ends unless renewed.</param>
public readonly record struct DingStreamLeaseState(bool Held, string? Holder, DateTimeOffset ExpiresAt);
