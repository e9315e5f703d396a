// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using DingGen.Bench.Payloads;

namespace DingGen.Bench.Handlers10;

/// <summary>The 10 event type(s) of this benchmark module, each handled by one method of an instance class resolved from DI.</summary>
/// <param name="sink">Where the handlers leave what they saw, so the work cannot be elided.</param>
public sealed partial class BenchHandlers(BenchSink sink)
{
    /// <summary>Handles <c>bpms_instance_change</c>.</summary>
    [DingEvent("bpms_instance_change")]
    public Task OnBpmsInstanceChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>bpms_task_change</c>.</summary>
    [DingEvent("bpms_task_change")]
    public Task OnBpmsTaskChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_admin_add</c>.</summary>
    [DingEvent("org_admin_add")]
    public Task OnOrgAdminAdd([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_admin_remove</c>.</summary>
    [DingEvent("org_admin_remove")]
    public Task OnOrgAdminRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_dept_create</c>.</summary>
    [DingEvent("org_dept_create")]
    public Task OnOrgDeptCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_dept_modify</c>.</summary>
    [DingEvent("org_dept_modify")]
    public Task OnOrgDeptModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_active_org</c>.</summary>
    [DingEvent("user_active_org")]
    public Task OnUserActiveOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_add_org</c>.</summary>
    [DingEvent("user_add_org")]
    public Task OnUserAddOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_leave_org</c>.</summary>
    [DingEvent("user_leave_org")]
    public Task OnUserLeaveOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_modify_org</c>.</summary>
    [DingEvent("user_modify_org")]
    public Task OnUserModifyOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);
}
