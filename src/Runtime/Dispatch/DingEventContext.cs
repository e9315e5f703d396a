using System.Security.Cryptography;

namespace DingGen;

/// <summary>
/// Everything a handler may want to know about the event it is handling, beside the typed payload.
/// A handler receives it by declaring a <see cref="DingEventContext"/> parameter.
/// </summary>
/// <remarks>
/// <see cref="Payload"/> is valid until the handler's task completes; copy it (or <c>Clone()</c> a
/// <c>JsonElement</c>) to keep it longer. Delivery is at-least-once: key side effects on <see cref="EventId"/>.
/// </remarks>
public sealed class DingEventContext
{
    private string? _eventId;

    /// <summary>Creates a context. Hosts and tests create one per delivery; handlers only read it.</summary>
    /// <param name="eventType">The DingTalk event tag, e.g. <c>bpms_instance_change</c>.</param>
    /// <param name="payload">The decrypted event JSON as UTF-8.</param>
    /// <param name="services">The service provider handlers' services are resolved from (a scope per event is created from it).</param>
    public DingEventContext(string eventType, ReadOnlyMemory<byte> payload, IServiceProvider services)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(services);
        EventType = eventType;
        Payload = payload;
        Services = services;
    }

    /// <summary>The DingTalk event tag (<c>EventType</c> of the payload, or the stream frame's <c>eventType</c> header).</summary>
    public string EventType { get; }

    /// <summary>
    /// A stable id of this event, the same on every redelivery: the payload's <c>eventId</c>, else its <c>BizId</c>,
    /// else the stream header's <c>eventId</c>, else the lowercase hex SHA-256 of the payload bytes.
    /// </summary>
    public string EventId
    {
        get => _eventId ??= HashPayload(Payload.Span);
        init => _eventId = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The delivery attempt (1 for the first) when the channel says so, else <see langword="null"/>.</summary>
    public int? DeliveryAttempt { get; init; }

    /// <summary>The decrypted payload as UTF-8 JSON, exactly as DingTalk sent it. Valid until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The organisation (<c>CorpId</c>) the event belongs to, when the payload or frame names it.</summary>
    public string? CorpId { get; init; }

    /// <summary>How the event reached the host.</summary>
    public DingDeliveryChannel Channel { get; init; } = DingDeliveryChannel.HttpPush;

    /// <summary>When the host received the delivery.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The name of the DingTalk app (configuration) the event arrived for, when the host serves several.</summary>
    public string? AppName { get; init; }

    /// <summary>The services of the host (a scope per event is created from them for instance handlers).</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// Cancelled when the host is shutting down. It is not the HTTP request's abort token: a dropped connection
    /// does not cancel business work half-way.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The clock handler durations are measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives each handler's duration and outcome; set by hosts for logs and metrics.</summary>
    public IDingHandlerObserver? Observer { get; init; }

    /// <summary>
    /// Called by generated dispatchers after each handler: measures its duration from <paramref name="startTimestamp"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/> value) and tells the <see cref="Observer"/>.
    /// </summary>
    public void ReportHandlerCompleted(string handlerName, long startTimestamp, Exception? exception)
    {
        Observer?.OnHandlerCompleted(this, handlerName, TimeProvider.GetElapsedTime(startTimestamp), exception);
    }

    private static string HashPayload(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>Observes handlers as a generated dispatcher runs them (durations for logs, metrics and deadline warnings).</summary>
public interface IDingHandlerObserver
{
    /// <summary>Called once per handler when it has completed, successfully or not.</summary>
    /// <param name="context">The event.</param>
    /// <param name="handlerName">The handler, as <c>Type.Method</c>.</param>
    /// <param name="duration">How long the handler ran.</param>
    /// <param name="exception">The handler's failure, or <see langword="null"/> when it succeeded.</param>
    void OnHandlerCompleted(DingEventContext context, string handlerName, TimeSpan duration, Exception? exception);
}
