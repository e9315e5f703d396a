using DingGen.Common;

namespace DingGen.Generator.Model;

/// <summary>
/// A callable <c>[DingRobotMessage]</c> or <c>[DingCardCallback]</c> method with its filters. Holds no symbols or syntax.
/// <paramref name="MsgType"/> and <paramref name="RobotCode"/> are robot filters, <paramref name="ActionId"/> the card filter
/// (null: no filter).
/// </summary>
internal sealed record InteractionHandlerModel(
    InteractionKind Kind,
    string ContainingTypeFqn,
    string HandlerName,
    string MethodName,
    string SortKey,
    bool IsStatic,
    HandlerReturnKind ReturnKind,
    EquatableArray<ParameterModel> Parameters,
    string? MsgType,
    string? RobotCode,
    string? ActionId)
{
    /// <summary>Whether the handler has a filter (so it may not run for every message or callback).</summary>
    public bool HasFilter => MsgType is not null || RobotCode is not null || ActionId is not null;

    /// <summary>Whether calling the handler needs the DI scope: an instance handler or a service parameter.</summary>
    public bool NeedsServices
    {
        get
        {
            if (!IsStatic)
            {
                return true;
            }

            foreach (var parameter in Parameters)
            {
                if (parameter.Kind == HandlerParameterKind.Service)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Whether the call is awaited.</summary>
    public bool IsAwaited => ReturnKind is not (HandlerReturnKind.Void or HandlerReturnKind.Response);

    /// <summary>Whether the handler returns a response (directly or in a task).</summary>
    public bool ReturnsResponse => ReturnKind is HandlerReturnKind.Response or HandlerReturnKind.TaskOfResponse or HandlerReturnKind.ValueTaskOfResponse;

    /// <summary>The dispatch order: ordinal by containing type, then method name, then signature.</summary>
    public static int Compare(InteractionHandlerModel a, InteractionHandlerModel b)
    {
        var byType = string.CompareOrdinal(a.ContainingTypeFqn, b.ContainingTypeFqn);
        if (byType != 0)
        {
            return byType;
        }

        var byMethod = string.CompareOrdinal(a.MethodName, b.MethodName);
        return byMethod != 0 ? byMethod : string.CompareOrdinal(a.SortKey, b.SortKey);
    }
}

/// <summary>The robot and card handlers of the assembly, each list in dispatch order, and their classes.</summary>
internal sealed record InteractionsModel(
    EquatableArray<InteractionHandlerModel> RobotHandlers,
    EquatableArray<InteractionHandlerModel> CardHandlers,
    EquatableArray<string> HandlerClasses)
{
    public static InteractionsModel Empty { get; } = new(
        EquatableArray<InteractionHandlerModel>.Empty,
        EquatableArray<InteractionHandlerModel>.Empty,
        EquatableArray<string>.Empty);

    /// <summary>Whether the assembly has any robot or card handler (only then does the dispatcher implement <c>IDingInteractionDispatcher</c>).</summary>
    public bool Any => RobotHandlers.Count > 0 || CardHandlers.Count > 0;

    /// <summary>Sorts and deduplicates (by signature) each kind's handlers and collects the instance handlers' classes.</summary>
    public static InteractionsModel Create(EquatableArray<InteractionHandlerModel> robots, EquatableArray<InteractionHandlerModel> cards, CancellationToken cancellationToken)
    {
        var classes = new SortedSet<string>(StringComparer.Ordinal);
        return new InteractionsModel(Order(robots, classes, cancellationToken), Order(cards, classes, cancellationToken), classes.ToEquatableArray());
    }

    private static EquatableArray<InteractionHandlerModel> Order(EquatableArray<InteractionHandlerModel> handlers, SortedSet<string> classes, CancellationToken cancellationToken)
    {
        var list = new List<InteractionHandlerModel>(handlers.Count);
        foreach (var handler in handlers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (list.Exists(existing => existing.SortKey == handler.SortKey))
            {
                continue;
            }

            list.Add(handler);
            if (!handler.IsStatic)
            {
                classes.Add(handler.ContainingTypeFqn);
            }
        }

        list.Sort(InteractionHandlerModel.Compare);
        return list.ToEquatableArray();
    }
}
