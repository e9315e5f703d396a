using System.Text.Json;
using System.Text.Json.Serialization;
using DingGen;

namespace DingGen.Tests.ApprovalsModule;

/// <summary>What the approvals module saw; shared with the tests through DI.</summary>
public sealed class ApprovalsJournal
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

/// <summary>A payload of this module's own.</summary>
/// <param name="ProcessInstanceId">The instance id.</param>
/// <param name="Result">agree / refuse.</param>
public sealed record InstanceEvent(string? ProcessInstanceId, string? Result);

/// <summary>The module's JSON metadata.</summary>
[JsonSerializable(typeof(InstanceEvent))]
public sealed partial class ApprovalsJsonContext : JsonSerializerContext
{
}

/// <summary>Approval handlers: an instance class resolved from DI.</summary>
/// <param name="journal">Where handlers write what they saw.</param>
public sealed class ApprovalHandlers(ApprovalsJournal journal)
{
    /// <summary>Handles instance changes with a typed payload.</summary>
    [DingEvent("bpms_instance_change")]
    public Task OnInstanceChange([DingPayload] InstanceEvent e, DingEventContext context)
    {
        journal.Write($"approvals:{context.EventType}:{e.ProcessInstanceId}:{e.Result}");
        return Task.CompletedTask;
    }

    /// <summary>Handles staff changes as raw JSON; shares user_add_org with the HR module.</summary>
    [DingEvent("user_add_org")]
    public ValueTask OnStaff(JsonElement e)
    {
        journal.Write($"approvals:user_add_org:{e.GetProperty("EventType").GetString()}");
        return ValueTask.CompletedTask;
    }
}
