using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DingGen;

/// <summary>
/// Names of DingGen's telemetry, to subscribe to: the <see cref="System.Diagnostics.Metrics.Meter"/> and the
/// <see cref="System.Diagnostics.ActivitySource"/> are both called <c>DingGen</c>
/// (e.g. OpenTelemetry's <c>.AddMeter(DingGenDiagnostics.MeterName)</c> and <c>.AddSource(DingGenDiagnostics.ActivitySourceName)</c>).
/// </summary>
/// <remarks>
/// <para>Every delivery, whatever its channel, is counted by the <see cref="DingDeliveryPipeline"/>: <c>dinggen.deliveries</c>
/// (tags <c>dinggen.app</c> — the app name or <c>default</c> —, <c>dinggen.channel</c>: <c>http_push</c>, <c>stream</c>, <c>inbox</c>,
/// <c>recovery</c>; <c>dinggen.event_type</c>; <c>dinggen.outcome</c>: <c>handled</c>, <c>unhandled</c>, <c>failed</c>) and the histogram
/// <c>dinggen.delivery.duration</c> in milliseconds.</para>
/// <para>The HTTP callback adds, per request: <c>dinggen.callbacks.received</c>, <c>dinggen.callbacks.rejected</c> (bad input; tag
/// <c>dinggen.reason</c>: <c>query</c>, <c>body_too_large</c>, <c>body</c>, <c>signature</c>, <c>ciphertext</c>, <c>owner_key</c>,
/// <c>owner_key_placeholder</c>, <c>payload</c>, <c>configuration</c>, <c>timestamp</c>, <c>replay</c>) and the histogram
/// <c>dinggen.callback.duration</c> (tag <c>dinggen.outcome</c>: <c>handled</c>, <c>unhandled</c>, <c>failed</c>, <c>validated</c>,
/// <c>enqueued</c>, <c>duplicate</c>, <c>inbox_failed</c>, <c>rejected</c>). Stream mode adds <c>dinggen.stream.*</c> (connections,
/// frames, acknowledgements), the durable inbox <c>dinggen.inbox.*</c> (see docs/inbox.md).</para>
/// <para>One activity <c>DingGen.Callback</c> per callback, tagged <c>dinggen.app</c>, <c>dinggen.event_type</c> and <c>dinggen.outcome</c>.</para>
/// </remarks>
public static class DingGenDiagnostics
{
    /// <summary>The name of DingGen's meter.</summary>
    public const string MeterName = "DingGen";

    /// <summary>The name of DingGen's activity source.</summary>
    public const string ActivitySourceName = "DingGen";

    /// <summary>The name of the activity started for each callback.</summary>
    public const string CallbackActivityName = "DingGen.Callback";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName, typeof(DingGenDiagnostics).Assembly.GetName().Version?.ToString());
}

/// <summary>DingGen's instruments, created once from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class DingGenMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _duration;

    public DingGenMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DingGenDiagnostics.MeterName);
        _received = meter.CreateCounter<long>("dinggen.callbacks.received", "{callback}", "DingTalk callbacks received by the endpoint.");
        _rejected = meter.CreateCounter<long>("dinggen.callbacks.rejected", "{callback}", "Requests rejected before any handler ran.");
        _duration = meter.CreateHistogram<double>("dinggen.callback.duration", "ms", "Time from receiving a callback to its answer.");
    }

    public void Received(string app) => _received.Add(1, new KeyValuePair<string, object?>("dinggen.app", app));

    public void Rejected(string app, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.reason", reason));

    public void Duration(string app, string outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.outcome", outcome));
}
