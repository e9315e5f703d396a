using DingGen;
using DingGen.Events;

namespace ApprovalHost;

/// <summary>
/// Approval events: a finished, agreed approval becomes a work order, titled and attributed from the approval itself, read
/// through DingTalk's server API (<c>topapi/processinstance/get</c>). When that read fails the handler throws, the host
/// answers 500, and DingTalk redelivers (or, after its retries, lists the event for <c>recover-failed</c>).
/// </summary>
public sealed partial class ApprovalHandlers(DingTalkClient dingtalk, IWorkOrderStore workOrders, ActivityJournal journal, ILogger<ApprovalHandlers> log)
{
    [DingEvent(DingEventTypes.BpmsInstanceChange)]
    public async Task OnInstanceChange(BpmsInstanceChange e, DingEventContext context, CancellationToken cancellationToken)
    {
        var instance = e.ProcessInstanceId ?? "(no instance id)";
        if (e.IsFinish && e.IsAgreed && e.ProcessInstanceId is not null)
        {
            var approval = await dingtalk.GetProcessInstanceAsync(e.ProcessInstanceId, cancellationToken);
            var title = approval.Title ?? e.Title ?? "(untitled)";
            var order = workOrders.OpenForApproval(e.ProcessInstanceId, title, approval.OriginatorUserId ?? e.StaffId ?? "(unknown)", out var created);
            var via = context.Channel == DingDeliveryChannel.Recovery ? " (recovered)" : string.Empty;
            if (created)
            {
                LogWorkOrderOpened(order.Number, instance, context.EventId, approval.Status);
                journal.Write($"opened work order {order.Number} for approval {instance} \"{title}\" ({approval.Status}){via}");
            }
            else
            {
                journal.Write($"approval {instance} redelivered; work order {order.Number} already open{via}");
            }
        }
        else
        {
            LogInstanceChanged(instance, e.Type, e.Result);
            journal.Write($"approval {instance} {e.Type}{(e.Result is null ? string.Empty : "/" + e.Result)}: no work order");
        }
    }

    [DingEvent(DingEventTypes.BpmsTaskChange)]
    public void OnTaskChange(BpmsTaskChange e)
    {
        LogTaskChanged(e.TaskId, e.ProcessInstanceId, e.Type, e.Result);
        journal.Write($"task {e.TaskId} of approval {e.ProcessInstanceId} {e.Type}{(e.Result is null ? string.Empty : "/" + e.Result)} by {e.StaffId}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened work order {Number} for approval {ProcessInstanceId} (event {EventId}, approval status {Status})")]
    private partial void LogWorkOrderOpened(string number, string processInstanceId, string eventId, string? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {ProcessInstanceId} changed: {Type} {Result}")]
    private partial void LogInstanceChanged(string processInstanceId, string? type, string? result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval task {TaskId} of {ProcessInstanceId}: {Type} {Result}")]
    private partial void LogTaskChanged(long? taskId, string? processInstanceId, string? type, string? result);
}

/// <summary>Staff and department changes of the address book.</summary>
public static partial class ContactHandlers
{
    [DingEvent(DingEventTypes.UserAddOrg)]
    [DingEvent(DingEventTypes.UserLeaveOrg)]
    public static void OnStaffChange(DingUserChangeEvent e, DingEventContext context, ActivityJournal journal, ILogger<ActivityJournal> log)
    {
        var users = string.Join(", ", e.UserId ?? Array.Empty<string>());
        var change = context.EventType == DingEventTypes.UserAddOrg ? "joined" : "left";
        LogStaffChanged(log, users, change, e.CorpId ?? context.CorpId);
        journal.Write($"staff {change}: {users}");
    }

    [DingEvent(DingEventTypes.OrgDeptCreate)]
    [DingEvent(DingEventTypes.OrgDeptModify)]
    [DingEvent(DingEventTypes.OrgDeptRemove)]
    public static ValueTask OnDepartmentChange(DingDeptChangeEvent e, DingEventContext context, ActivityJournal journal, ILogger<ActivityJournal> log)
    {
        var departments = string.Join(", ", e.DeptId ?? Array.Empty<long>());
        var change = context.EventType switch
        {
            DingEventTypes.OrgDeptCreate => "created",
            DingEventTypes.OrgDeptModify => "modified",
            _ => "removed",
        };
        LogDepartmentChanged(log, departments, change);
        journal.Write($"department {change}: {departments}");
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff {Change}: {Users} (corp {CorpId})")]
    private static partial void LogStaffChanged(ILogger logger, string users, string change, string? corpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Department {Change}: {Departments}")]
    private static partial void LogDepartmentChanged(ILogger logger, string departments, string change);
}
