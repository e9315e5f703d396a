using System.Collections.Concurrent;

namespace DingGen;

/// <summary>The state of an app's Stream connection, as the health check reports it.</summary>
internal enum DingStreamConnectionState
{
    Starting = 0,
    Connected = 1,
    Reconnecting = 2,
    Stopped = 3,
}

/// <summary>The Stream connection state of every app stream mode is on for (read by the health check).</summary>
internal sealed class DingStreamStatusRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _apps = new(StringComparer.Ordinal);

    public void Set(string app, DingStreamConnectionState state, DateTimeOffset since, string? lastError = null) =>
        _apps[app] = new Entry(state, since, lastError);

    public IReadOnlyList<KeyValuePair<string, Entry>> Snapshot() => _apps.OrderBy(static p => p.Key, StringComparer.Ordinal).ToArray();

    internal sealed record Entry(DingStreamConnectionState State, DateTimeOffset Since, string? LastError);
}
