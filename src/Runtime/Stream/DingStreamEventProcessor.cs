using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>How an EVENT frame is acknowledged.</summary>
internal enum DingStreamAckStatus
{
    /// <summary>Handled, or of a type no module handles: <c>{"status":"SUCCESS"}</c>.</summary>
    Success = 0,

    /// <summary>A handler failed or the payload could not be read: <c>{"status":"LATER"}</c>, DingTalk redelivers.</summary>
    Later = 1,
}

/// <summary>One event taken from an EVENT frame: the <c>data</c> string as UTF-8 JSON plus the frame headers DingGen uses.</summary>
/// <param name="MessageId">The frame's <c>messageId</c> (what the acknowledgement echoes).</param>
/// <param name="EventType">The <c>eventType</c> header.</param>
/// <param name="EventId">The <c>eventId</c> header, the same on every redelivery.</param>
/// <param name="CorpId">The <c>eventCorpId</c> header.</param>
/// <param name="Payload">The <c>data</c> string (the event body, camelCase JSON) as UTF-8.</param>
/// <param name="ReceivedAt">When the frame was received.</param>
internal sealed record DingStreamEvent(string MessageId, string EventType, string? EventId, string? CorpId, byte[] Payload, DateTimeOffset ReceivedAt);

/// <summary>
/// Turns one Stream event into its acknowledgement status: the single place where a Stream event meets the handlers
/// (a DI scope per event, <see cref="DingEventRouter"/>, logs and metrics). Whatever sits between the socket and the
/// handlers (a durable inbox, for example) goes in front of <see cref="ProcessAsync"/>.
/// </summary>
internal sealed class DingStreamEventProcessor
{
    private readonly string _appName;
    private readonly string _metricApp;
    private readonly IServiceProvider _services;
    private readonly DingEventRouter _router;
    private readonly TimeProvider _time;
    private readonly DingStreamMetrics _metrics;
    private readonly ILogger _logger;
    private readonly DingInboxWriter? _inbox;

    public DingStreamEventProcessor(string appName, IServiceProvider services)
    {
        _appName = appName;
        _metricApp = appName.Length == 0 ? "default" : appName;
        _services = services;
        _router = services.GetRequiredService<DingEventRouter>();
        _time = services.GetRequiredService<TimeProvider>();
        _metrics = services.GetRequiredService<DingStreamMetrics>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingStreamLog.Category);
        _inbox = services.GetService<DingInboxWriter>();
    }

    /// <summary>
    /// Dispatches <paramref name="streamEvent"/> to every handler of its type. Unhandled types are <see cref="DingStreamAckStatus.Success"/>
    /// (counted, debug log); a failed handler or an unreadable payload is <see cref="DingStreamAckStatus.Later"/>. Never throws.
    /// </summary>
    /// <param name="streamEvent">The event.</param>
    /// <param name="stoppingToken">The host's stopping token, handed to handlers as <see cref="DingEventContext.CancellationToken"/>.</param>
    public async ValueTask<DingStreamAckStatus> ProcessAsync(DingStreamEvent streamEvent, CancellationToken stoppingToken)
    {
        var start = _time.GetTimestamp();
        var eventType = _router.GetEventType(Encoding.UTF8.GetBytes(streamEvent.EventType), out var handled);
        if (!handled)
        {
            _metrics.Unhandled(_metricApp);
            DingStreamLog.EventUnhandled(_logger, eventType, streamEvent.EventId ?? streamEvent.MessageId, _metricApp);
            return DingStreamAckStatus.Success;
        }

        if (_inbox is not null && _inbox.ShouldStore(_appName, eventType))
        {
            return await StoreAsync(_inbox, eventType, streamEvent, stoppingToken).ConfigureAwait(false);
        }

        if (!DingEnvelope.TryRead(streamEvent.Payload, out var envelope, out var error))
        {
            DingStreamLog.MalformedFrame(_logger, _metricApp, 0, $"the data of event {eventType} ({streamEvent.EventId ?? streamEvent.MessageId}): {error}; acknowledged LATER, no handler ran");
            return DingStreamAckStatus.Later;
        }

        var eventId = string.IsNullOrEmpty(streamEvent.EventId) ? envelope.StableId : streamEvent.EventId;
        var corpId = string.IsNullOrEmpty(streamEvent.CorpId) ? envelope.CorpId : streamEvent.CorpId;
        DingDispatchResult result;
        string logEventId;
        await using (var scope = _services.CreateAsyncScope())
        {
            var context = new DingEventContext(eventType, streamEvent.Payload, scope.ServiceProvider)
            {
                EventId = eventId!,
                CorpId = corpId,
                Channel = DingDeliveryChannel.Stream,
                ReceivedAt = streamEvent.ReceivedAt,
                AppName = _appName.Length == 0 ? null : _appName,
                CancellationToken = stoppingToken,
                TimeProvider = _time,
            };
            logEventId = context.EventId;

            try
            {
                result = await _router.DispatchAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                DingStreamLog.DispatcherFailed(_logger, ex, eventType, logEventId, _metricApp);
                result = DingDispatchResult.Failed([new DingHandlerFailure("(dispatcher)", eventType, ex)]);
            }
        }

        var status = DingStreamAckStatus.Success;
        string outcome;
        switch (result.Status)
        {
            case DingDispatchStatus.Failed:
                foreach (var failure in result.Failures)
                {
                    if (failure.HandlerName != "(dispatcher)")
                    {
                        DingStreamLog.HandlerFailed(_logger, failure.Exception, failure.HandlerName, eventType, logEventId, _metricApp);
                    }
                }

                status = DingStreamAckStatus.Later;
                outcome = "failed";
                break;
            case DingDispatchStatus.Handled:
                outcome = "handled";
                break;
            default:
                // A dispatcher matched the tag but ran nothing: treat like an unhandled type.
                _metrics.Unhandled(_metricApp);
                outcome = "unhandled";
                break;
        }

        DingStreamLog.EventCompleted(_logger, eventType, logEventId, _metricApp, corpId, outcome, _time.GetElapsedTime(start).TotalMilliseconds, status == DingStreamAckStatus.Success ? "SUCCESS" : "LATER");
        return status;
    }

    /// <summary>
    /// With the durable inbox on: the event is sealed and committed before the ACK (<see cref="DingStreamAckStatus.Success"/>,
    /// also for a duplicate); the inbox worker then runs the handlers. A failed write answers <see cref="DingStreamAckStatus.Later"/>
    /// so DingTalk redelivers: an event is never acknowledged before it is durable.
    /// </summary>
    private async ValueTask<DingStreamAckStatus> StoreAsync(DingInboxWriter inbox, string eventType, DingStreamEvent streamEvent, CancellationToken stoppingToken)
    {
        var logId = streamEvent.EventId ?? streamEvent.MessageId;
        try
        {
            var result = await inbox.EnqueueStreamEventAsync(_appName, eventType, streamEvent.EventId, streamEvent.CorpId, streamEvent.Payload, stoppingToken).ConfigureAwait(false);
            DingStreamLog.EventStored(_logger, eventType, logId, _metricApp, result == DingInboxAddResult.Added ? "stored in" : "already in");
            return DingStreamAckStatus.Success;
        }
        catch (Exception ex)
        {
            DingStreamLog.InboxWriteFailed(_logger, ex, eventType, logId, _metricApp);
            return DingStreamAckStatus.Later;
        }
    }
}
