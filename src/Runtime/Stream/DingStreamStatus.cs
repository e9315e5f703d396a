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

    public void Set(string app, DingStreamConnectionState state, DateTimeOffset since, string? lastError = null) =>
        _apps[app] = new Entry(state, since, lastError) { Holder = _apps.TryGetValue(app, out var previous) ? previous.Holder : null };

    /// <summary>Records which replica holds the app's stream connection (with a shared lease).</summary>
    public void SetHolder(string app, string? holder, DateTimeOffset since) =>
        _apps.AddOrUpdate(app, static (_, a) => new Entry(DingStreamConnectionState.Starting, a.since, null) { Holder = a.holder }, static (_, e, a) => e with { Holder = a.holder }, (holder, since));

    public IReadOnlyList<KeyValuePair<string, Entry>> Snapshot() => _apps.OrderBy(static p => p.Key, StringComparer.Ordinal).ToArray();

    internal sealed record Entry(DingStreamConnectionState State, DateTimeOffset Since, string? LastError)
    {
        /// <summary>The replica holding the app's stream connection, when a shared lease decides it.</summary>
        public string? Holder { get; init; }
    }
}
