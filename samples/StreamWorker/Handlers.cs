using DingGen;
using DingGen.Events;

namespace StreamWorker;

/// <summary>
/// The worker's handlers: each writes one line per event to the <see cref="EventLog"/> (the console), in a stable
/// <c>event &lt;type&gt; &lt;event id&gt; via &lt;channel&gt;: &lt;what happened&gt;</c> shape that the simulation checks.
/// Replace the bodies with your own work; keep them idempotent on <see cref="DingEventContext.EventId"/> (delivery is at-least-once).
/// </summary>
public sealed class StaffHandlers(EventLog log)
{
    [DingEvent(DingEventTypes.UserAddOrg), DingEvent(DingEventTypes.UserLeaveOrg)]
    public void OnStaffChange(DingUserChangeEvent e, DingEventContext context)
    {
        var verb = context.EventType == DingEventTypes.UserAddOrg ? "joined" : "left";
        log.Write(context, $"staff {verb}: {string.Join(",", e.UserId ?? [])}");
    }

    [DingEvent(DingEventTypes.OrgDeptCreate)]
    public void OnDepartmentCreated(OrgDeptCreate e, DingEventContext context) =>
        log.Write(context, $"department created: {string.Join(",", e.DeptId ?? [])}");
}

/// <summary>Approvals: a static handler (no instance, no services), called with the payload and the context.</summary>
public static class ApprovalHandlers
{
    [DingEvent(DingEventTypes.BpmsInstanceChange)]
    public static void OnInstanceChange(BpmsInstanceChange e, DingEventContext context, EventLog log) =>
        log.Write(context, $"approval {e.ProcessInstanceId ?? "(no id)"} {e.Type}{(e.Result is null ? string.Empty : "/" + e.Result)}");
}
