namespace ApprovalHost;

/// <summary>A work order opened for an approved process instance.</summary>
/// <param name="Number">The work order number.</param>
/// <param name="ProcessInstanceId">The approval it came from.</param>
/// <param name="Title">The approval's title.</param>
/// <param name="RequestedBy">The user who started the approval.</param>
/// <param name="CreatedAt">When the order was opened.</param>
public sealed record WorkOrder(string Number, string ProcessInstanceId, string Title, string RequestedBy, DateTimeOffset CreatedAt);

/// <summary>Where work orders live. The sample keeps them in memory; a real host puts them in its database.</summary>
public interface IWorkOrderStore
{
    /// <summary>
    /// Opens the work order of <paramref name="processInstanceId"/> unless it exists. DingTalk delivers at least once, so
    /// this must be idempotent: a redelivered approval returns the existing order and <paramref name="created"/> is false.
    /// </summary>
    WorkOrder OpenForApproval(string processInstanceId, string title, string requestedBy, out bool created);

    /// <summary>Every open work order, oldest first.</summary>
    IReadOnlyList<WorkOrder> All { get; }
}

/// <summary>An in-memory, thread-safe <see cref="IWorkOrderStore"/>.</summary>
public sealed class InMemoryWorkOrderStore(TimeProvider time) : IWorkOrderStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkOrder> _byInstance = new(StringComparer.Ordinal);
    private readonly List<WorkOrder> _orders = new();

    public IReadOnlyList<WorkOrder> All
    {
        get
        {
            lock (_gate)
            {
                return _orders.ToArray();
            }
        }
    }

    public WorkOrder OpenForApproval(string processInstanceId, string title, string requestedBy, out bool created)
    {
        lock (_gate)
        {
            if (_byInstance.TryGetValue(processInstanceId, out var existing))
            {
                created = false;
                return existing;
            }

            var order = new WorkOrder($"WO-{_orders.Count + 1:D4}", processInstanceId, title, requestedBy, time.GetUtcNow());
            _byInstance.Add(processInstanceId, order);
            _orders.Add(order);
            created = true;
            return order;
        }
    }
}

/// <summary>A short, human-readable record of what the handlers did (printed by <c>--simulate</c>).</summary>
public sealed class ActivityJournal
{
    private readonly Lock _gate = new();
    private readonly List<string> _entries = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public void Write(string entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>The entries written since <paramref name="start"/>.</summary>
    public IReadOnlyList<string> Since(int start)
    {
        lock (_gate)
        {
            return _entries.Skip(start).ToArray();
        }
    }
}
