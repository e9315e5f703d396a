namespace DingGen;

/// <summary>
/// Lets one failed-event recovery of an app run at a time. <see cref="DingFailedEventRecovery.RecoverAsync"/> takes it for the whole
/// run and, when another run holds it, returns at once with <see cref="DingRecoveryReport.SkippedBecauseAnotherReplicaIsRecovering"/>.
/// The default (<see cref="DingInProcessRecoveryLock"/>) covers one process; the shared PostgreSQL inbox registers one that covers every
/// replica of the host.
/// </summary>
public interface IDingRecoveryLock
{
    /// <summary>Takes the lock of <paramref name="appName"/> without waiting.</summary>
    /// <param name="appName">The DingTalk app (empty string for the default app).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A handle that releases the lock when disposed, or <see langword="null"/> when another run holds it.</returns>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string appName, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IDingRecoveryLock"/>: one run per app within this process (other processes are not seen).</summary>
public sealed class DingInProcessRecoveryLock : IDingRecoveryLock
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable?> TryAcquireAsync(string appName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_held)
        {
            return ValueTask.FromResult<IAsyncDisposable?>(_held.Add(appName) ? new Handle(this, appName) : null);
        }
    }

    private sealed class Handle(DingInProcessRecoveryLock owner, string appName) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (owner._held)
                {
                    owner._held.Remove(appName);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
