namespace DingGen;

/// <summary>What happened when an event was dispatched.</summary>
public enum DingDispatchStatus
{
    /// <summary>No handler takes this event type.</summary>
    NotHandled = 0,

    /// <summary>Every handler of the event ran and succeeded.</summary>
    Handled = 1,

    /// <summary>At least one handler failed (the others still ran); DingTalk should redeliver.</summary>
    Failed = 2,
}

/// <summary>A handler that failed, with the event it failed on.</summary>
/// <param name="HandlerName">The handler, as <c>Namespace.Type.Method</c>.</param>
/// <param name="EventType">The event tag.</param>
/// <param name="Exception">What the handler threw.</param>
public sealed record DingHandlerFailure(string HandlerName, string EventType, Exception Exception)
{
    /// <summary>The <see cref="HandlerName"/> of a failure of the dispatch itself (a dispatcher threw instead of reporting its handlers).</summary>
    public const string DispatcherName = "(dispatcher)";

    /// <summary>Whether the dispatch itself failed rather than one handler.</summary>
    public bool IsDispatcherFailure => HandlerName == DispatcherName;

    /// <summary>A failure of the dispatch itself.</summary>
    public static DingHandlerFailure OfDispatcher(string eventType, Exception exception) => new(DispatcherName, eventType, exception);

    /// <summary><c>Handler: Exception.Type: message</c>, never the payload.</summary>
    public override string ToString() => HandlerName + ": " + Exception.GetType().FullName + ": " + Exception.Message;
}

/// <summary>The outcome of <see cref="IDingEventDispatcher.DispatchAsync"/>.</summary>
public readonly struct DingDispatchResult : IEquatable<DingDispatchResult>
{
    private readonly IReadOnlyList<DingHandlerFailure>? _failures;

    private DingDispatchResult(DingDispatchStatus status, IReadOnlyList<DingHandlerFailure>? failures)
    {
        Status = status;
        _failures = failures;
    }

    /// <summary>No handler takes the event.</summary>
    public static DingDispatchResult NotHandled => default;

    /// <summary>Every handler ran and succeeded.</summary>
    public static DingDispatchResult Handled => new(DingDispatchStatus.Handled, null);

    /// <summary>The status.</summary>
    public DingDispatchStatus Status { get; }

    /// <summary>The failed handlers; empty unless <see cref="Status"/> is <see cref="DingDispatchStatus.Failed"/>.</summary>
    public IReadOnlyList<DingHandlerFailure> Failures => _failures ?? Array.Empty<DingHandlerFailure>();

    /// <summary>Handled when <paramref name="failures"/> is null or empty, else failed with those failures. Used by generated dispatchers.</summary>
    public static DingDispatchResult Completed(List<DingHandlerFailure>? failures) =>
        failures is null || failures.Count == 0 ? Handled : new(DingDispatchStatus.Failed, failures);

    /// <summary>A failed result.</summary>
    public static DingDispatchResult Failed(IReadOnlyList<DingHandlerFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return new(DingDispatchStatus.Failed, failures);
    }

    /// <summary>
    /// Combines the results of two modules for one event: failed when either failed (failures of both kept),
    /// else handled when either handled, else not handled.
    /// </summary>
    public static DingDispatchResult Combine(DingDispatchResult first, DingDispatchResult second)
    {
        if (first.Status == DingDispatchStatus.Failed && second.Status == DingDispatchStatus.Failed)
        {
            var all = new List<DingHandlerFailure>(first.Failures.Count + second.Failures.Count);
            all.AddRange(first.Failures);
            all.AddRange(second.Failures);
            return new(DingDispatchStatus.Failed, all);
        }

        if (first.Status == DingDispatchStatus.Failed)
        {
            return first;
        }

        if (second.Status == DingDispatchStatus.Failed)
        {
            return second;
        }

        return first.Status == DingDispatchStatus.Handled ? first : second;
    }

    /// <inheritdoc />
    public bool Equals(DingDispatchResult other) => Status == other.Status && ReferenceEquals(_failures, other._failures);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DingDispatchResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, _failures);

    /// <summary>Every failure as <c>Handler: Exception.Type: message</c>, separated by <c>"; "</c>; empty unless <see cref="DingDispatchStatus.Failed"/>.</summary>
    public string DescribeFailures() => string.Join("; ", Failures);

    /// <inheritdoc />
    public override string ToString() => Status == DingDispatchStatus.Failed
        ? $"Failed ({Failures.Count} handler(s))"
        : Status.ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(DingDispatchResult left, DingDispatchResult right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DingDispatchResult left, DingDispatchResult right) => !left.Equals(right);
}
