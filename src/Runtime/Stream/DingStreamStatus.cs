using System.Collections.Concurrent;

namespace DingGen;

/// <summary>The state of an app's Stream connection, as the health check reports it.</summary>
internal enum DingStreamConnectionState
{
    Starting = 0,
    Connected = 1,
    Reconnecting = 2,
    Stopped = 3,

    /// <summary>Another replica holds the app's stream-connection lease; this one waits to take over.</summary>
    Standby = 4,
}

/// <summary>The Stream connection state of every app stream mode is on for (read by the health check).</summary>
internal sealed class DingStreamStatusRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DingStreamConnectionCounters> _counters = new(StringComparer.Ordinal);

    public void Set(string app, DingStreamConnectionState state, DateTimeOffset since, string? lastError = null) =>
        _apps[app] = new Entry(state, since, lastError) { Holder = _apps.TryGetValue(app, out var previous) ? previous.Holder : null };

    /// <summary>Records which replica holds the app's stream connection (with a shared lease).</summary>
    public void SetHolder(string app, string? holder, DateTimeOffset since) =>
        _apps.AddOrUpdate(app, static (_, a) => new Entry(DingStreamConnectionState.Starting, a.since, null) { Holder = a.holder }, static (_, e, a) => e with { Holder = a.holder }, (holder, since));

    /// <summary>The frame and reconnect counters of the app's connection (created on first use, kept for the life of the host).</summary>
    public DingStreamConnectionCounters Counters(string app) => _counters.GetOrAdd(app, static _ => new DingStreamConnectionCounters());

    /// <summary>The app's counters, or <see langword="null"/> when its stream service never ran.</summary>
    public DingStreamConnectionCounters? FindCounters(string app) => _counters.TryGetValue(app, out var counters) ? counters : null;

    public IReadOnlyList<KeyValuePair<string, Entry>> Snapshot() => _apps.OrderBy(static p => p.Key, StringComparer.Ordinal).ToArray();

    internal sealed record Entry(DingStreamConnectionState State, DateTimeOffset Since, string? LastError)
    {
        /// <summary>The replica holding the app's stream connection, when a shared lease decides it.</summary>
        public string? Holder { get; init; }
    }
}

/// <summary>
/// What an app's Stream connection did since the host started: the last frame received (on any of its connections), the frames
/// and reconnects counted, and which replica this is. Written by the receive loop on every frame without a lock or an allocation.
/// </summary>
internal sealed class DingStreamConnectionCounters
{
    private long _lastFrameUtcTicks;
    private long _frames;
    private long _reconnects;
    private volatile Replica? _replica;

    /// <summary>When the last complete frame (message) arrived, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastFrameAt => Volatile.Read(ref _lastFrameUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Frames (complete messages) received on every connection of the app.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Connections replaced: lost (closed, failed, silent) or rotated on the gateway's <c>disconnect</c>.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>This host's replica id as the stream-connection lease knows it; <see langword="null"/> without a lease.</summary>
    public string? ReplicaId => _replica?.Id;

    /// <summary>Whether a shared lease decides which replica connects (otherwise every replica opens its own connection).</summary>
    public bool Leased => _replica?.Leased ?? false;

    /// <summary>Called by the receive loop for every complete frame.</summary>
    public void FrameReceived(DateTimeOffset now)
    {
        Volatile.Write(ref _lastFrameUtcTicks, now.UtcTicks);
        Interlocked.Increment(ref _frames);
    }

    /// <summary>Called when a connection is replaced.</summary>
    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    /// <summary>Records this replica's id and whether a lease decides who connects.</summary>
    public void SetReplica(string? replicaId, bool leased) => _replica = new Replica(replicaId, leased);

    private sealed record Replica(string? Id, bool Leased);
}
