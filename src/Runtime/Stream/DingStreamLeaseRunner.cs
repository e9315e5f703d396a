using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// Runs an app's Stream connection only while this replica holds the app's stream-connection lease (<see cref="IDingStreamLease"/>):
/// waits in standby while another replica holds it, connects once it is taken, renews it every third of
/// <see cref="DingStreamOptions.LeaseTimeout"/>, closes the connection when the lease is lost (another replica took it after a renewal
/// gap), and releases the lease when the host stops so another replica takes over at once.
/// </summary>
internal sealed class DingStreamLeaseRunner
{
    private readonly string _name;
    private readonly string _app;
    private readonly IDingStreamLease _lease;
    private readonly DingStreamStatusRegistry _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _renewEvery;

    public DingStreamLeaseRunner(string name, string app, IDingStreamLease lease, TimeSpan timeout, DingStreamStatusRegistry status, TimeProvider time, ILogger logger)
    {
        _name = name;
        _app = app;
        _lease = lease;
        _timeout = timeout;
        _renewEvery = timeout / 3;
        _status = status;
        _time = time;
        _logger = logger;
    }

    /// <summary>Repeats: wait for the lease, run <paramref name="connect"/> with a token cancelled when the lease is lost. Releases at the end.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> connect, CancellationToken stoppingToken)
    {
        string? lastHolder = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DingStreamLeaseState state;
                try
                {
                    state = await _lease.TryAcquireAsync(_name, _time.GetUtcNow(), _timeout, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    DingStreamLeaseLog.LeaseStoreFailed(_logger, ex, _app, _lease.ReplicaId);
                    state = new DingStreamLeaseState(false, null, default);
                }

                if (!state.Held)
                {
                    if (state.Holder is not null && state.Holder != lastHolder)
                    {
                        DingStreamLeaseLog.Standby(_logger, _app, _lease.ReplicaId, state.Holder);
                        _status.SetHolder(_app, state.Holder, _time.GetUtcNow());
                        _status.Set(_app, DingStreamConnectionState.Standby, _time.GetUtcNow(), "connection held by replica " + state.Holder);
                    }

                    lastHolder = state.Holder;
                    if (!await DelayAsync(_renewEvery, stoppingToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                lastHolder = state.Holder;
                DingStreamLeaseLog.Acquired(_logger, _app, _lease.ReplicaId);
                _status.SetHolder(_app, _lease.ReplicaId, _time.GetUtcNow());
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var keeper = KeepAsync(state.ExpiresAt, lost);
                try
                {
                    await connect(lost.Token).ConfigureAwait(false);
                }
                finally
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    await keeper.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            try
            {
                using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _lease.ReleaseAsync(_name, release.Token).ConfigureAwait(false);
                DingStreamLeaseLog.Released(_logger, _app, _lease.ReplicaId);
            }
            catch (Exception ex)
            {
                // The lease then expires by itself within LeaseTimeout.
                DingStreamLeaseLog.LeaseStoreFailed(_logger, ex, _app, _lease.ReplicaId);
            }
        }
    }

    /// <summary>Renews the lease until <paramref name="lost"/> is cancelled; cancels it when the lease cannot be kept.</summary>
    private async Task KeepAsync(DateTimeOffset expiresAt, CancellationTokenSource lost)
    {
        while (await DelayAsync(_renewEvery, lost.Token).ConfigureAwait(false))
        {
            try
            {
                var state = await _lease.TryAcquireAsync(_name, _time.GetUtcNow(), _timeout, lost.Token).ConfigureAwait(false);
                if (state.Held)
                {
                    expiresAt = state.ExpiresAt;
                    continue;
                }

                DingStreamLeaseLog.Lost(_logger, _app, _lease.ReplicaId, state.Holder ?? "(unknown)");
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                DingStreamLeaseLog.LeaseStoreFailed(_logger, ex, _app, _lease.ReplicaId);

                // Keep the connection while the lease surely still runs; give it up a renewal period before it could expire, so that
                // two replicas never hold the connection at once.
                if (_time.GetUtcNow() + _renewEvery < expiresAt)
                {
                    continue;
                }

                DingStreamLeaseLog.Lost(_logger, _app, _lease.ReplicaId, "(the lease store is unreachable)");
            }

            await lost.CancelAsync().ConfigureAwait(false);
            return;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Log messages of the stream-connection lease (category <c>DingGen.Stream</c>).</summary>
internal static partial class DingStreamLeaseLog
{
    [LoggerMessage(EventId = 130, EventName = "StreamLeaseAcquired", Level = LogLevel.Information,
        Message = "DingTalk Stream connection of {App}: this replica ({Replica}) holds the connection lease and connects.")]
    public static partial void Acquired(ILogger logger, string app, string replica);

    [LoggerMessage(EventId = 131, EventName = "StreamLeaseStandby", Level = LogLevel.Information,
        Message = "DingTalk Stream connection of {App} is held by replica {Holder}; this replica ({Replica}) stands by and takes over if it stops.")]
    public static partial void Standby(ILogger logger, string app, string replica, string holder);

    [LoggerMessage(EventId = 132, EventName = "StreamLeaseLost", Level = LogLevel.Warning,
        Message = "DingTalk Stream connection of {App}: this replica ({Replica}) lost the connection lease (now {Holder}); closing its connection.")]
    public static partial void Lost(ILogger logger, string app, string replica, string holder);

    [LoggerMessage(EventId = 133, EventName = "StreamLeaseReleased", Level = LogLevel.Information,
        Message = "DingTalk Stream connection of {App}: this replica ({Replica}) released the connection lease.")]
    public static partial void Released(ILogger logger, string app, string replica);

    [LoggerMessage(EventId = 134, EventName = "StreamLeaseStoreFailed", Level = LogLevel.Warning,
        Message = "DingTalk Stream connection of {App}: the connection lease could not be read or renewed by replica {Replica}.")]
    public static partial void LeaseStoreFailed(ILogger logger, Exception exception, string app, string replica);
}
