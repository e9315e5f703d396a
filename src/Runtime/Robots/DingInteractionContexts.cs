using DingGen.Events;

namespace DingGen;

/// <summary>
/// What a <see cref="DingRobotMessageAttribute"/> handler may want to know beside the message. A handler receives it by declaring
/// a <see cref="DingRobotMessageContext"/> parameter.
/// </summary>
public sealed class DingRobotMessageContext
{
    /// <summary>Creates a context. Channels and tests create one per message; handlers only read it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="services">The services handlers' services are resolved from (the generated dispatcher creates a scope from them).</param>
    public DingRobotMessageContext(DingRobotMessage message, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(services);
        Message = message;
        Services = services;
    }

    /// <summary>The message.</summary>
    public DingRobotMessage Message { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>How the message reached the host (<see cref="DingDeliveryChannel.Stream"/> or <see cref="DingDeliveryChannel.HttpPush"/>).</summary>
    public DingDeliveryChannel Channel { get; init; } = DingDeliveryChannel.HttpPush;

    /// <summary>The name of the DingTalk app (configuration) the message arrived for, when the host serves several.</summary>
    public string? AppName { get; init; }

    /// <summary>When the host received the message.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Cancelled when the host is shutting down.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The clock handler durations are measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// What a <see cref="DingCardCallbackAttribute"/> handler may want to know beside the callback. A handler receives it by declaring
/// a <see cref="DingCardCallbackContext"/> parameter.
/// </summary>
public sealed class DingCardCallbackContext
{
    /// <summary>Creates a context. Channels and tests create one per callback; handlers only read it.</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="services">The services handlers' services are resolved from (the generated dispatcher creates a scope from them).</param>
    public DingCardCallbackContext(DingCardCallback callback, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(services);
        Callback = callback;
        Services = services;
    }

    /// <summary>The callback.</summary>
    public DingCardCallback Callback { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>How the callback reached the host.</summary>
    public DingDeliveryChannel Channel { get; init; } = DingDeliveryChannel.HttpPush;

    /// <summary>The name of the DingTalk app (configuration) the callback arrived for, when the host serves several.</summary>
    public string? AppName { get; init; }

    /// <summary>When the host received the callback.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Cancelled when the host is shutting down.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The clock handler durations are measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
