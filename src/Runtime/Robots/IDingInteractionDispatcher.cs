namespace DingGen;

/// <summary>
/// Routes robot messages and card callbacks to the <see cref="DingRobotMessageAttribute"/> and
/// <see cref="DingCardCallbackAttribute"/> handlers of one assembly. The generated <c>DingEventDispatcher</c> of an assembly that
/// has such handlers implements it (and <c>AddDingEventHandlers()</c> registers it); the host composes them in
/// <see cref="DingInteractionRouter"/>.
/// </summary>
public interface IDingInteractionDispatcher
{
    /// <summary>Whether the assembly has <see cref="DingRobotMessageAttribute"/> handlers (stream mode subscribes to robot messages only then).</summary>
    bool HandlesRobotMessages { get; }

    /// <summary>Whether the assembly has <see cref="DingCardCallbackAttribute"/> handlers (stream mode subscribes to card callbacks only then).</summary>
    bool HandlesCardCallbacks { get; }

    /// <summary>
    /// Runs every robot handler whose filters match the message, in a stable order, in one DI scope; a failing handler does not
    /// stop the others. <see cref="DingInteractionResult{TResponse}.NotHandled"/> when none matched.
    /// </summary>
    ValueTask<DingInteractionResult<DingRobotReply>> DispatchRobotMessageAsync(DingRobotMessageContext context);

    /// <summary>
    /// Runs every card handler whose filter matches the callback, in a stable order, in one DI scope; a failing handler does not
    /// stop the others. <see cref="DingInteractionResult{TResponse}.NotHandled"/> when none matched.
    /// </summary>
    ValueTask<DingInteractionResult<DingCardUpdate>> DispatchCardCallbackAsync(DingCardCallbackContext context);
}

/// <summary>
/// The composition of every registered <see cref="IDingInteractionDispatcher"/> (one per module assembly): a message or callback
/// runs the matching handlers of every module, module by module in registration order.
/// </summary>
public sealed class DingInteractionRouter
{
    private readonly IDingInteractionDispatcher[] _dispatchers;

    /// <summary>Composes <paramref name="dispatchers"/>.</summary>
    public DingInteractionRouter(IEnumerable<IDingInteractionDispatcher> dispatchers)
    {
        ArgumentNullException.ThrowIfNull(dispatchers);
        _dispatchers = dispatchers.ToArray();
        HandlesRobotMessages = _dispatchers.Any(dispatcher => dispatcher.HandlesRobotMessages);
        HandlesCardCallbacks = _dispatchers.Any(dispatcher => dispatcher.HandlesCardCallbacks);
    }

    /// <summary>The dispatchers, in registration order.</summary>
    public IReadOnlyList<IDingInteractionDispatcher> Dispatchers => _dispatchers;

    /// <summary>Whether any module has robot message handlers.</summary>
    public bool HandlesRobotMessages { get; }

    /// <summary>Whether any module has card callback handlers.</summary>
    public bool HandlesCardCallbacks { get; }

    /// <summary>Runs every module's matching robot handlers and combines their results.</summary>
    public async ValueTask<DingInteractionResult<DingRobotReply>> DispatchRobotMessageAsync(DingRobotMessageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = DingInteractionResult<DingRobotReply>.NotHandled;
        foreach (var dispatcher in _dispatchers)
        {
            if (dispatcher.HandlesRobotMessages)
            {
                result = DingInteractionResult<DingRobotReply>.Combine(result, await dispatcher.DispatchRobotMessageAsync(context).ConfigureAwait(false));
            }
        }

        return result;
    }

    /// <summary>Runs every module's matching card handlers and combines their results.</summary>
    public async ValueTask<DingInteractionResult<DingCardUpdate>> DispatchCardCallbackAsync(DingCardCallbackContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = DingInteractionResult<DingCardUpdate>.NotHandled;
        foreach (var dispatcher in _dispatchers)
        {
            if (dispatcher.HandlesCardCallbacks)
            {
                result = DingInteractionResult<DingCardUpdate>.Combine(result, await dispatcher.DispatchCardCallbackAsync(context).ConfigureAwait(false));
            }
        }

        return result;
    }
}

/// <summary>
/// Sends a <see cref="DingRobotReply"/> into the conversation of a robot message: through the message's session webhook while
/// it is valid, else (and always for interactive cards) through the app's robot send API, which needs <c>DingGen.OpenApi</c>.
/// Registered by <c>AddDingGen</c>; inject it into a handler to reply more than once, or later.
/// </summary>
public interface IDingRobotReplySender
{
    /// <summary>Sends <paramref name="reply"/> into the conversation <paramref name="message"/> came from.</summary>
    /// <exception cref="DingRobotReplyException">DingTalk refused the reply, or no way to send it is left (the webhook expired and no robot API is configured).</exception>
    Task SendAsync(Events.DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken = default);
}

/// <summary>A robot reply could not be sent; the message says why and what to do.</summary>
public sealed class DingRobotReplyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DingRobotReplyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public DingRobotReplyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
