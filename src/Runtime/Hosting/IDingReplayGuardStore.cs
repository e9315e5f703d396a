namespace DingGen;

/// <summary>
/// Where the replay guard remembers the signatures of accepted requests (<see cref="DingReplayGuardOptions"/>). Without one, each
/// process remembers in its own memory, which is enough on one machine; behind a load balancer a replayed request could reach a
/// replica that never saw the original, so a store every replica shares (the PostgreSQL inbox registers one) makes the memory common.
/// </summary>
/// <remarks>
/// Implementations must make <see cref="TryRememberAsync"/> atomic across every process sharing the store: of two concurrent calls
/// with one (app, signature), one returns <see langword="true"/>. If the store fails, the guard falls back to the process's own memory
/// for that request (logged), so an outage of the store does not stop callbacks.
/// </remarks>
public interface IDingReplayGuardStore
{
    /// <summary>
    /// Remembers <paramref name="signature"/> for <paramref name="appName"/> until <paramref name="expiresAt"/>, unless it is already
    /// remembered and not expired at <paramref name="now"/>.
    /// </summary>
    /// <returns><see langword="true"/> when the request is fresh (now remembered); <see langword="false"/> for a replay.</returns>
    ValueTask<bool> TryRememberAsync(string appName, string signature, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Forgets an accepted request whose handling failed, so DingTalk's redelivery of it is served.</summary>
    ValueTask ForgetAsync(string appName, string signature, CancellationToken cancellationToken = default);
}
