using System.Diagnostics.Metrics;

namespace DingGen;

/// <summary>
/// The inbox's instruments on DingGen's meter (<see cref="DingGenDiagnostics.MeterName"/>): counters <c>dinggen.inbox.enqueued</c> and
/// <c>dinggen.inbox.duplicates</c> (tags <c>dinggen.app</c>, <c>dinggen.channel</c>), <c>dinggen.inbox.dead_lettered</c>
/// (tags <c>dinggen.app</c>, <c>dinggen.event_type</c>), and the gauges <c>dinggen.inbox.depth</c> (pending entries),
/// <c>dinggen.inbox.oldest_age</c> (seconds since the oldest pending entry was received) and <c>dinggen.inbox.dead</c> (dead letters),
/// refreshed by the worker on every poll. Every delivery attempt is counted by the pipeline: <c>dinggen.deliveries</c> with channel <c>inbox</c>.
/// </summary>
internal sealed class DingInboxMetrics
{
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _deadLettered;
    private readonly TimeProvider _time;
    private DingInboxStats? _stats;

    public DingInboxMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(DingGenDiagnostics.MeterName);
        _enqueued = meter.CreateCounter<long>("dinggen.inbox.enqueued", "{event}", "Deliveries stored in the durable inbox.");
        _duplicates = meter.CreateCounter<long>("dinggen.inbox.duplicates", "{event}", "Redeliveries of an event already in the inbox (answered success, not stored again).");
        _deadLettered = meter.CreateCounter<long>("dinggen.inbox.dead_lettered", "{event}", "Inbox entries moved to the dead-letter state after their last attempt failed.");
        meter.CreateObservableGauge("dinggen.inbox.depth", () => _stats?.Pending ?? 0L, "{event}", "Inbox entries waiting or being dispatched.");
        meter.CreateObservableGauge("dinggen.inbox.dead", () => _stats?.Dead ?? 0L, "{event}", "Inbox entries in the dead-letter state.");
        meter.CreateObservableGauge("dinggen.inbox.oldest_age", () => OldestAgeSeconds, "s", "Age of the oldest pending inbox entry.");
    }

    /// <summary>The last stats the worker read.</summary>
    public DingInboxStats? Stats => _stats;

    private double OldestAgeSeconds => _stats?.OldestPendingReceivedAt is { } oldest
        ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds)
        : 0;

    public void Update(DingInboxStats stats) => _stats = stats;

    public void Enqueued(string app, DingDeliveryChannel channel) =>
        _enqueued.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.channel", ChannelName(channel)));

    public void Duplicate(string app, DingDeliveryChannel channel) =>
        _duplicates.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.channel", ChannelName(channel)));

    public void DeadLettered(string app, string eventType) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.event_type", eventType));

    private static string ChannelName(DingDeliveryChannel channel) => channel switch
    {
        DingDeliveryChannel.HttpPush => "http_push",
        DingDeliveryChannel.Stream => "stream",
        _ => "recovery",
    };
}
