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
internal sealed record DingStreamEvent(string MessageId, string EventType, string? EventId, string? CorpId, byte[] Payload, DateTimeOffset ReceivedAt)
{
    /// <summary>The topic of a CALLBACK frame (robot message, card callback) the handlers take; <see langword="null"/> for an EVENT frame.</summary>
    public string? CallbackTopic { get; init; }
}

/// <summary>
/// The stream-mode adapter of the <see cref="DingDeliveryPipeline"/>: turns one Stream event into its acknowledgement status. With the
/// durable inbox on, the event is committed first and acknowledged once durable; otherwise the pipeline delivers it at once.
/// </summary>
internal sealed class DingStreamEventProcessor
{
    private readonly string _appName;
    private readonly string _displayName;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly DingInboxWriter? _inbox;

    public DingStreamEventProcessor(string appName, IServiceProvider services)
    {
        _appName = appName;
        _displayName = DingGenServiceCollectionExtensions.DisplayName(appName);
        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingStreamLog.Category);
        _inbox = services.GetService<DingInboxWriter>();
    }

    /// <summary>
    /// Delivers <paramref name="streamEvent"/>. Unhandled types are <see cref="DingStreamAckStatus.Success"/> (counted and logged by the
    /// pipeline); a failed handler or an unreadable payload is <see cref="DingStreamAckStatus.Later"/>. Never throws.
    /// </summary>
    /// <param name="streamEvent">The event.</param>
    /// <param name="stoppingToken">The host's stopping token, handed to handlers as <see cref="DingEventContext.CancellationToken"/>.</param>
    public async ValueTask<DingStreamAckStatus> ProcessAsync(DingStreamEvent streamEvent, CancellationToken stoppingToken)
    {
        var eventType = _pipeline.Router.GetEventType(Encoding.UTF8.GetBytes(streamEvent.EventType), out var handled);
        if (handled && _inbox is not null && _inbox.ShouldStore(_appName, eventType))
        {
            return await StoreAsync(_inbox, eventType, streamEvent, stoppingToken).ConfigureAwait(false);
        }

        string? eventId = streamEvent.EventId, corpId = streamEvent.CorpId;
        if (handled)
        {
            if (!DingEnvelope.TryRead(streamEvent.Payload, out var envelope, out var error))
            {
                DingStreamLog.MalformedFrame(_logger, _displayName, 0, $"the data of event {eventType} ({streamEvent.EventId ?? streamEvent.MessageId}): {error}; acknowledged LATER, no handler ran");
                return DingStreamAckStatus.Later;
            }

            eventId = string.IsNullOrEmpty(eventId) ? envelope.StableId : eventId;
            corpId = string.IsNullOrEmpty(corpId) ? envelope.CorpId : corpId;
        }

        var delivery = new DingDelivery(eventType, streamEvent.Payload)
        {
            Channel = DingDeliveryChannel.Stream,
            AppName = _appName,
            EventId = eventId ?? (handled ? null : streamEvent.MessageId),
            CorpId = corpId,
            ReceivedAt = streamEvent.ReceivedAt,
        };
        var result = await _pipeline.DeliverAsync(delivery, stoppingToken).ConfigureAwait(false);
        return result.Status == DingDispatchStatus.Failed ? DingStreamAckStatus.Later : DingStreamAckStatus.Success;
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
            DingStreamLog.EventStored(_logger, eventType, logId, _displayName, result == DingInboxAddResult.Added ? "stored in" : "already in");
            return DingStreamAckStatus.Success;
        }
        catch (Exception ex)
        {
            DingStreamLog.InboxWriteFailed(_logger, ex, eventType, logId, _displayName);
            return DingStreamAckStatus.Later;
        }
    }
}
