namespace DingGen;

/// <summary>
/// One event on its way to the handlers, whatever channel brought it: the decrypted (or plain, for stream mode) event JSON and the
/// few facts every channel knows. The <see cref="DingDeliveryPipeline"/> turns it into a <see cref="DingEventContext"/>.
/// </summary>
/// <param name="EventType">The event tag (interned by the router when a module handles it).</param>
/// <param name="Payload">The event JSON as UTF-8; valid until <see cref="DingDeliveryPipeline.DeliverAsync"/> completes.</param>
public sealed record DingDelivery(string EventType, ReadOnlyMemory<byte> Payload)
{
    /// <summary>How the event reached the host; handlers see it as <see cref="DingEventContext.Channel"/>.</summary>
    public DingDeliveryChannel Channel { get; init; } = DingDeliveryChannel.HttpPush;

    /// <summary>The DingTalk app's <c>AddDingGen</c> name; empty for the default app.</summary>
    public string AppName { get; init; } = string.Empty;

    /// <summary>DingTalk's id of the event, the same on every redelivery; <see langword="null"/> lets the context derive one from the payload.</summary>
    public string? EventId { get; init; }

    /// <summary>The organisation the event belongs to, when known.</summary>
    public string? CorpId { get; init; }

    /// <summary>When the host received the event (the first time, for an inbox entry).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Which attempt this is (1 for the first), when the channel counts attempts (the inbox does).</summary>
    public int? Attempt { get; init; }

    /// <summary>The inbox entry being delivered, when the inbox worker delivers it; its metrics and logs then say channel <c>inbox</c>.</summary>
    public long? InboxEntryId { get; init; }

    /// <summary>The channel name used in metrics (tag <c>dinggen.channel</c>) and logs: <c>http_push</c>, <c>stream</c>, <c>inbox</c> or <c>recovery</c>.</summary>
    public string ChannelName => InboxEntryId is not null ? "inbox" : NameOf(Channel);

    /// <summary>The metric and log name of <paramref name="channel"/>.</summary>
    public static string NameOf(DingDeliveryChannel channel) => channel switch
    {
        DingDeliveryChannel.HttpPush => "http_push",
        DingDeliveryChannel.Stream => "stream",
        DingDeliveryChannel.Recovery => "recovery",
        _ => "unknown",
    };
}
