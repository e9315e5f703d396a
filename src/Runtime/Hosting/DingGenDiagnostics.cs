using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DingGen;

/// <summary>
/// Names of DingGen's telemetry, to subscribe to: the <see cref="System.Diagnostics.Metrics.Meter"/> and the
/// <see cref="System.Diagnostics.ActivitySource"/> are both called <c>DingGen</c>
/// (e.g. OpenTelemetry's <c>.AddMeter(DingGenDiagnostics.MeterName)</c> and <c>.AddSource(DingGenDiagnostics.ActivitySourceName)</c>).
/// </summary>
/// <remarks>
/// <para>Instruments (every one tagged <c>dinggen.app</c>, the app name or <c>default</c>):
/// <c>dinggen.callbacks.received</c> (every request reaching the endpoint),
/// <c>dinggen.callbacks.handled</c> (a module handled it, or a <c>check_*</c> URL validation was answered; tag <c>dinggen.event_type</c>),
/// <c>dinggen.callbacks.unhandled</c> (verified, but no module takes the event type; still answered <c>success</c>),
/// <c>dinggen.callbacks.failed</c> (a handler failed, answered 500; tag <c>dinggen.event_type</c>),
/// <c>dinggen.callbacks.rejected</c> (bad input; tag <c>dinggen.reason</c>: <c>query</c>, <c>body_too_large</c>, <c>body</c>,
/// <c>signature</c>, <c>ciphertext</c>, <c>owner_key</c>, <c>owner_key_placeholder</c>, <c>payload</c>, <c>configuration</c>), and the histogram
/// <c>dinggen.callback.duration</c> in milliseconds (tag <c>dinggen.outcome</c>). The durable inbox adds the <c>dinggen.inbox.*</c>
/// instruments (see docs/inbox.md).</para>
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
    private readonly Counter<long> _handled;
    private readonly Counter<long> _unhandled;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _duration;

    public DingGenMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DingGenDiagnostics.MeterName);
        _received = meter.CreateCounter<long>("dinggen.callbacks.received", "{callback}", "DingTalk callbacks received by the endpoint.");
        _handled = meter.CreateCounter<long>("dinggen.callbacks.handled", "{callback}", "Callbacks whose handlers all succeeded, and URL validations answered.");
        _unhandled = meter.CreateCounter<long>("dinggen.callbacks.unhandled", "{callback}", "Verified callbacks of an event type no module handles (answered success).");
        _failed = meter.CreateCounter<long>("dinggen.callbacks.failed", "{callback}", "Callbacks with a failed handler (answered 500 so DingTalk redelivers).");
        _rejected = meter.CreateCounter<long>("dinggen.callbacks.rejected", "{callback}", "Requests rejected before any handler ran.");
        _duration = meter.CreateHistogram<double>("dinggen.callback.duration", "ms", "Time from receiving a callback to its answer.");
    }

    public void Received(string app) => _received.Add(1, new KeyValuePair<string, object?>("dinggen.app", app));

    public void Handled(string app, string eventType) =>
        _handled.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.event_type", eventType));

    public void Unhandled(string app) => _unhandled.Add(1, new KeyValuePair<string, object?>("dinggen.app", app));

    public void Failed(string app, string eventType) =>
        _failed.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.event_type", eventType));

    public void Rejected(string app, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.reason", reason));

    public void Duration(string app, string outcome, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.outcome", outcome));
}
