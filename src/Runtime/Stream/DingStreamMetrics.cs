using System.Diagnostics.Metrics;

namespace DingGen;

/// <summary>
/// The Stream channel's instruments, on DingGen's meter (<see cref="DingGenDiagnostics.MeterName"/>); every one tagged
/// <c>dinggen.app</c>: <c>dinggen.stream.connected</c> (up-down: open connections), <c>dinggen.stream.reconnects</c>
/// (tag <c>dinggen.reason</c>: <c>closed</c>, <c>failed</c>, <c>silent</c>, <c>disconnect</c>), <c>dinggen.stream.ticket_failures</c>
/// (tag <c>dinggen.reason</c>), <c>dinggen.stream.frames</c> (tag <c>dinggen.frame_type</c>: <c>EVENT</c>, <c>SYSTEM</c>,
/// <c>CALLBACK</c>, <c>other</c>, <c>malformed</c>), <c>dinggen.stream.acks</c> (tag <c>dinggen.status</c>: <c>SUCCESS</c>,
/// <c>LATER</c>). Deliveries themselves, unhandled ones included, are counted by the pipeline: <c>dinggen.deliveries</c> with channel <c>stream</c>.
/// </summary>
internal sealed class DingStreamMetrics
{
    private readonly UpDownCounter<long> _connected;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _ticketFailures;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _acks;

    public DingStreamMetrics(IMeterFactory meterFactory)
    {
        // The factory hands out the same Meter for the same name: these instruments sit beside the callback ones.
        var meter = meterFactory.Create(DingGenDiagnostics.MeterName);
        _connected = meter.CreateUpDownCounter<long>("dinggen.stream.connected", "{connection}", "Open Stream connections to DingTalk's gateway.");
        _reconnects = meter.CreateCounter<long>("dinggen.stream.reconnects", "{connection}", "Stream connections replaced, by reason.");
        _ticketFailures = meter.CreateCounter<long>("dinggen.stream.ticket_failures", "{request}", "Failed attempts to open a Stream connection (ticket or WebSocket connect).");
        _frames = meter.CreateCounter<long>("dinggen.stream.frames", "{frame}", "Frames received from the Stream gateway, by type.");
        _acks = meter.CreateCounter<long>("dinggen.stream.acks", "{frame}", "EVENT frames acknowledged, by status (SUCCESS, LATER).");
    }

    public void Connected(string app, int delta) => _connected.Add(delta, new KeyValuePair<string, object?>("dinggen.app", app));

    public void Reconnect(string app, string reason) =>
        _reconnects.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.reason", reason));

    public void TicketFailure(string app, string reason) =>
        _ticketFailures.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.reason", reason));

    public void Frame(string app, string frameType) =>
        _frames.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.frame_type", frameType));

    public void Ack(string app, string status) =>
        _acks.Add(1, new KeyValuePair<string, object?>("dinggen.app", app), new KeyValuePair<string, object?>("dinggen.status", status));
}
