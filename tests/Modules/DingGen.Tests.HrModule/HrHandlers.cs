using DingGen;

namespace DingGen.Tests.HrModule;

/// <summary>What the HR module saw.</summary>
public sealed class HrJournal
{
    private readonly List<string> _entries = new();

    /// <summary>The entries, in the order they were written.</summary>
    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>Writes an entry.</summary>
    public void Write(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

/// <summary>HR handlers: static methods taking DI services.</summary>
public static class HrHandlers
{
    /// <summary>Staff joined or left: raw UTF-8 payload plus a service.</summary>
    [DingEvent("user_add_org")]
    [DingEvent("user_leave_org")]
    public static void OnStaff(ReadOnlyMemory<byte> payload, DingEventContext context, HrJournal journal)
    {
        journal.Write($"hr:{context.EventType}:{payload.Length}");
    }

    /// <summary>A department was created.</summary>
    [DingEvent("org_dept_create")]
    public static async Task OnDepartment(DingEventContext context, HrJournal journal, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        journal.Write($"hr:{context.EventType}");
    }
}
