namespace DingGen;

/// <summary>
/// The outcome of dispatching a robot message or a card callback: the handlers' combined status and failures
/// (<see cref="Dispatch"/>), and the responses they returned, in handler order (null responses left out).
/// </summary>
/// <typeparam name="TResponse"><see cref="DingRobotReply"/> or <see cref="DingCardUpdate"/>.</typeparam>
public readonly struct DingInteractionResult<TResponse>
    where TResponse : class
{
    private readonly IReadOnlyList<TResponse>? _responses;

    private DingInteractionResult(DingDispatchResult dispatch, IReadOnlyList<TResponse>? responses)
    {
        Dispatch = dispatch;
        _responses = responses;
    }

    /// <summary>No handler took it.</summary>
    public static DingInteractionResult<TResponse> NotHandled => default;

    /// <summary>The status and the failed handlers.</summary>
    public DingDispatchResult Dispatch { get; }

    /// <summary>The responses the handlers returned, in handler order; empty when none did.</summary>
    public IReadOnlyList<TResponse> Responses => _responses ?? Array.Empty<TResponse>();

    /// <summary>
    /// Handled (or failed, when <paramref name="failures"/> is not empty) with <paramref name="responses"/>. Used by generated
    /// dispatchers after at least one handler ran.
    /// </summary>
    public static DingInteractionResult<TResponse> Completed(List<DingHandlerFailure>? failures, List<TResponse>? responses) =>
        new(DingDispatchResult.Completed(failures), responses);

    /// <summary>A result of <paramref name="dispatch"/> with <paramref name="responses"/>.</summary>
    public static DingInteractionResult<TResponse> Create(DingDispatchResult dispatch, IReadOnlyList<TResponse>? responses) =>
        new(dispatch, responses);

    /// <summary>
    /// Combines the results of two modules: the statuses as <see cref="DingDispatchResult.Combine"/> does, the responses of
    /// <paramref name="first"/> then <paramref name="second"/>.
    /// </summary>
    public static DingInteractionResult<TResponse> Combine(DingInteractionResult<TResponse> first, DingInteractionResult<TResponse> second)
    {
        var dispatch = DingDispatchResult.Combine(first.Dispatch, second.Dispatch);
        if (first.Responses.Count == 0)
        {
            return new(dispatch, second._responses);
        }

        if (second.Responses.Count == 0)
        {
            return new(dispatch, first._responses);
        }

        var all = new List<TResponse>(first.Responses.Count + second.Responses.Count);
        all.AddRange(first.Responses);
        all.AddRange(second.Responses);
        return new(dispatch, all);
    }
}
