// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using DingGen.Bench.Payloads;

namespace DingGen.Bench.Handlers100;

public sealed partial class BenchHandlers
{
    /// <summary>Handles <c>im_robot_message</c>.</summary>
    [DingEvent("im_robot_message")]
    public Task OnImRobotMessage([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>label_conf_add</c>.</summary>
    [DingEvent("label_conf_add")]
    public Task OnLabelConfAdd([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>label_conf_del</c>.</summary>
    [DingEvent("label_conf_del")]
    public Task OnLabelConfDel([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>label_conf_modify</c>.</summary>
    [DingEvent("label_conf_modify")]
    public Task OnLabelConfModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>label_user_change</c>.</summary>
    [DingEvent("label_user_change")]
    public Task OnLabelUserChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>live_end</c>.</summary>
    [DingEvent("live_end")]
    public Task OnLiveEnd([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>live_replay_ready</c>.</summary>
    [DingEvent("live_replay_ready")]
    public Task OnLiveReplayReady([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>live_start</c>.</summary>
    [DingEvent("live_start")]
    public Task OnLiveStart([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>market_buy</c>.</summary>
    [DingEvent("market_buy")]
    public Task OnMarketBuy([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>meetingroom_book</c>.</summary>
    [DingEvent("meetingroom_book")]
    public Task OnMeetingroomBook([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>meetingroom_cancel</c>.</summary>
    [DingEvent("meetingroom_cancel")]
    public Task OnMeetingroomCancel([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>meetingroom_room_info</c>.</summary>
    [DingEvent("meetingroom_room_info")]
    public Task OnMeetingroomRoomInfo([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>micro_app_scope_update</c>.</summary>
    [DingEvent("micro_app_scope_update")]
    public Task OnMicroAppScopeUpdate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_admin_add</c>.</summary>
    [DingEvent("org_admin_add")]
    public Task OnOrgAdminAdd([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_admin_remove</c>.</summary>
    [DingEvent("org_admin_remove")]
    public Task OnOrgAdminRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_change</c>.</summary>
    [DingEvent("org_change")]
    public Task OnOrgChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_dept_create</c>.</summary>
    [DingEvent("org_dept_create")]
    public Task OnOrgDeptCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_dept_modify</c>.</summary>
    [DingEvent("org_dept_modify")]
    public Task OnOrgDeptModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_dept_remove</c>.</summary>
    [DingEvent("org_dept_remove")]
    public Task OnOrgDeptRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_micro_app_remove</c>.</summary>
    [DingEvent("org_micro_app_remove")]
    public Task OnOrgMicroAppRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_micro_app_restore</c>.</summary>
    [DingEvent("org_micro_app_restore")]
    public Task OnOrgMicroAppRestore([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_micro_app_stop</c>.</summary>
    [DingEvent("org_micro_app_stop")]
    public Task OnOrgMicroAppStop([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_remove</c>.</summary>
    [DingEvent("org_remove")]
    public Task OnOrgRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>org_suite_auth</c>.</summary>
    [DingEvent("org_suite_auth")]
    public Task OnOrgSuiteAuth([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>report_comment</c>.</summary>
    [DingEvent("report_comment")]
    public Task OnReportComment([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>report_create</c>.</summary>
    [DingEvent("report_create")]
    public Task OnReportCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>report_template_change</c>.</summary>
    [DingEvent("report_template_change")]
    public Task OnReportTemplateChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>role_create</c>.</summary>
    [DingEvent("role_create")]
    public Task OnRoleCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>role_group_create</c>.</summary>
    [DingEvent("role_group_create")]
    public Task OnRoleGroupCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>role_group_remove</c>.</summary>
    [DingEvent("role_group_remove")]
    public Task OnRoleGroupRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>role_modify</c>.</summary>
    [DingEvent("role_modify")]
    public Task OnRoleModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>role_remove</c>.</summary>
    [DingEvent("role_remove")]
    public Task OnRoleRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>suite_relieve</c>.</summary>
    [DingEvent("suite_relieve")]
    public Task OnSuiteRelieve([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>suite_ticket</c>.</summary>
    [DingEvent("suite_ticket")]
    public Task OnSuiteTicket([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>tmp_auth_code</c>.</summary>
    [DingEvent("tmp_auth_code")]
    public Task OnTmpAuthCode([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>todo_task_create</c>.</summary>
    [DingEvent("todo_task_create")]
    public Task OnTodoTaskCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>todo_task_delete</c>.</summary>
    [DingEvent("todo_task_delete")]
    public Task OnTodoTaskDelete([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>todo_task_finish</c>.</summary>
    [DingEvent("todo_task_finish")]
    public Task OnTodoTaskFinish([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>todo_task_update</c>.</summary>
    [DingEvent("todo_task_update")]
    public Task OnTodoTaskUpdate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_active_org</c>.</summary>
    [DingEvent("user_active_org")]
    public Task OnUserActiveOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_add_org</c>.</summary>
    [DingEvent("user_add_org")]
    public Task OnUserAddOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_dept_change</c>.</summary>
    [DingEvent("user_dept_change")]
    public Task OnUserDeptChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_leave_org</c>.</summary>
    [DingEvent("user_leave_org")]
    public Task OnUserLeaveOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_modify_org</c>.</summary>
    [DingEvent("user_modify_org")]
    public Task OnUserModifyOrg([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>user_role_change</c>.</summary>
    [DingEvent("user_role_change")]
    public Task OnUserRoleChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>workbench_shortcut_change</c>.</summary>
    [DingEvent("workbench_shortcut_change")]
    public Task OnWorkbenchShortcutChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>yida_form_data_create</c>.</summary>
    [DingEvent("yida_form_data_create")]
    public Task OnYidaFormDataCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>yida_form_data_delete</c>.</summary>
    [DingEvent("yida_form_data_delete")]
    public Task OnYidaFormDataDelete([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>yida_form_data_update</c>.</summary>
    [DingEvent("yida_form_data_update")]
    public Task OnYidaFormDataUpdate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>yida_process_instance_change</c>.</summary>
    [DingEvent("yida_process_instance_change")]
    public Task OnYidaProcessInstanceChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);
}
