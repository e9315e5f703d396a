using System.Diagnostics.Metrics;

namespace DingGen;

/// <summary>
/// The instruments every channel shares (meter <see cref="DingGenDiagnostics.MeterName"/>): deliveries by outcome and their durations,
/// tagged with the app, the channel (<c>http_push</c>, <c>stream</c>, <c>inbox</c>, <c>recovery</c>) and the event type.
/// </summary>
internal sealed class DingDeliveryMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;

    public DingDeliveryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DingGenDiagnostics.MeterName);
        _deliveries = meter.CreateCounter<long>("dinggen.deliveries", "{event}", "Events delivered to the handlers, by channel and outcome (handled, unhandled, failed).");
        _duration = meter.CreateHistogram<double>("dinggen.delivery.duration", "ms", "Time the handlers of one delivery took, by channel and outcome.");
    }

    public void Delivered(string app, string channel, string eventType, string outcome, TimeSpan elapsed)
    {
        // Without a listener (no OpenTelemetry, no dotnet-counters) there is nothing to build the tags for.
        if (!_deliveries.Enabled && !_duration.Enabled)
        {
            return;
        }

        _deliveries.Add(
            1,
            new KeyValuePair<string, object?>("dinggen.app", app),
            new KeyValuePair<string, object?>("dinggen.channel", channel),
            new KeyValuePair<string, object?>("dinggen.event_type", eventType),
            new KeyValuePair<string, object?>("dinggen.outcome", outcome));
        _duration.Record(
            elapsed.TotalMilliseconds,
            new KeyValuePair<string, object?>("dinggen.app", app),
            new KeyValuePair<string, object?>("dinggen.channel", channel),
            new KeyValuePair<string, object?>("dinggen.outcome", outcome));
    }
}
