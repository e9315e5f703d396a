// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DingGen.Bench.Payloads;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Benchmarks.HandWritten;

/// <summary>What a careful developer would write by hand for the 100-event module: a string switch, one DI scope per event, the same <see cref="JsonTypeInfo"/>.</summary>
internal sealed class HandWrittenDispatcher100(JsonTypeInfo<ApprovalEvent> payloadInfo) : IHandWrittenDispatcher
{
    public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        switch (context.EventType)
        {
            case "attendance_approve_finish":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceApproveFinish(payload, ctx, ctx.CancellationToken));
            case "attendance_check_record":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceCheckRecord(payload, ctx, ctx.CancellationToken));
            case "attendance_group_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceGroupChange(payload, ctx, ctx.CancellationToken));
            case "attendance_overtime_duration":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceOvertimeDuration(payload, ctx, ctx.CancellationToken));
            case "attendance_schedule_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceScheduleChange(payload, ctx, ctx.CancellationToken));
            case "attendance_shift_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnAttendanceShiftChange(payload, ctx, ctx.CancellationToken));
            case "bpms_instance_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnBpmsInstanceChange(payload, ctx, ctx.CancellationToken));
            case "bpms_task_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnBpmsTaskChange(payload, ctx, ctx.CancellationToken));
            case "calendar_event_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCalendarEventChange(payload, ctx, ctx.CancellationToken));
            case "calendar_event_delete":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCalendarEventDelete(payload, ctx, ctx.CancellationToken));
            case "change_auth":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChangeAuth(payload, ctx, ctx.CancellationToken));
            case "chat_add_member":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatAddMember(payload, ctx, ctx.CancellationToken));
            case "chat_disband":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatDisband(payload, ctx, ctx.CancellationToken));
            case "chat_quit":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatQuit(payload, ctx, ctx.CancellationToken));
            case "chat_remove_member":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatRemoveMember(payload, ctx, ctx.CancellationToken));
            case "chat_update_owner":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatUpdateOwner(payload, ctx, ctx.CancellationToken));
            case "chat_update_title":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnChatUpdateTitle(payload, ctx, ctx.CancellationToken));
            case "check_in":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCheckIn(payload, ctx, ctx.CancellationToken));
            case "cool_app_install":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCoolAppInstall(payload, ctx, ctx.CancellationToken));
            case "cool_app_uninstall":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCoolAppUninstall(payload, ctx, ctx.CancellationToken));
            case "crm_contact_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmContactCreate(payload, ctx, ctx.CancellationToken));
            case "crm_contact_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmContactModify(payload, ctx, ctx.CancellationToken));
            case "crm_customer_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmCustomerCreate(payload, ctx, ctx.CancellationToken));
            case "crm_customer_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmCustomerModify(payload, ctx, ctx.CancellationToken));
            case "crm_customer_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmCustomerRemove(payload, ctx, ctx.CancellationToken));
            case "crm_followrecord_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnCrmFollowrecordCreate(payload, ctx, ctx.CancellationToken));
            case "device_alarm":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDeviceAlarm(payload, ctx, ctx.CancellationToken));
            case "device_status_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDeviceStatusChange(payload, ctx, ctx.CancellationToken));
            case "ding_message_read":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDingMessageRead(payload, ctx, ctx.CancellationToken));
            case "ding_message_recall":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDingMessageRecall(payload, ctx, ctx.CancellationToken));
            case "drive_file_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDriveFileCreate(payload, ctx, ctx.CancellationToken));
            case "drive_file_delete":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDriveFileDelete(payload, ctx, ctx.CancellationToken));
            case "drive_file_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDriveFileModify(payload, ctx, ctx.CancellationToken));
            case "drive_space_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnDriveSpaceChange(payload, ctx, ctx.CancellationToken));
            case "edu_class_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnEduClassChange(payload, ctx, ctx.CancellationToken));
            case "edu_guardian_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnEduGuardianChange(payload, ctx, ctx.CancellationToken));
            case "edu_student_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnEduStudentChange(payload, ctx, ctx.CancellationToken));
            case "edu_teacher_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnEduTeacherChange(payload, ctx, ctx.CancellationToken));
            case "exclusive_login":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnExclusiveLogin(payload, ctx, ctx.CancellationToken));
            case "extcontact_add":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnExtcontactAdd(payload, ctx, ctx.CancellationToken));
            case "extcontact_label_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnExtcontactLabelChange(payload, ctx, ctx.CancellationToken));
            case "extcontact_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnExtcontactModify(payload, ctx, ctx.CancellationToken));
            case "extcontact_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnExtcontactRemove(payload, ctx, ctx.CancellationToken));
            case "health_step_update":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHealthStepUpdate(payload, ctx, ctx.CancellationToken));
            case "hrm_employee_entry":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmEmployeeEntry(payload, ctx, ctx.CancellationToken));
            case "hrm_employee_leave":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmEmployeeLeave(payload, ctx, ctx.CancellationToken));
            case "hrm_employee_regular":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmEmployeeRegular(payload, ctx, ctx.CancellationToken));
            case "hrm_employee_transfer":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmEmployeeTransfer(payload, ctx, ctx.CancellationToken));
            case "hrm_field_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmFieldChange(payload, ctx, ctx.CancellationToken));
            case "hrm_user_status_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnHrmUserStatusChange(payload, ctx, ctx.CancellationToken));
            case "im_robot_message":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnImRobotMessage(payload, ctx, ctx.CancellationToken));
            case "label_conf_add":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLabelConfAdd(payload, ctx, ctx.CancellationToken));
            case "label_conf_del":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLabelConfDel(payload, ctx, ctx.CancellationToken));
            case "label_conf_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLabelConfModify(payload, ctx, ctx.CancellationToken));
            case "label_user_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLabelUserChange(payload, ctx, ctx.CancellationToken));
            case "live_end":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLiveEnd(payload, ctx, ctx.CancellationToken));
            case "live_replay_ready":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLiveReplayReady(payload, ctx, ctx.CancellationToken));
            case "live_start":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnLiveStart(payload, ctx, ctx.CancellationToken));
            case "market_buy":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnMarketBuy(payload, ctx, ctx.CancellationToken));
            case "meetingroom_book":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnMeetingroomBook(payload, ctx, ctx.CancellationToken));
            case "meetingroom_cancel":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnMeetingroomCancel(payload, ctx, ctx.CancellationToken));
            case "meetingroom_room_info":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnMeetingroomRoomInfo(payload, ctx, ctx.CancellationToken));
            case "micro_app_scope_update":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnMicroAppScopeUpdate(payload, ctx, ctx.CancellationToken));
            case "org_admin_add":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgAdminAdd(payload, ctx, ctx.CancellationToken));
            case "org_admin_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgAdminRemove(payload, ctx, ctx.CancellationToken));
            case "org_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgChange(payload, ctx, ctx.CancellationToken));
            case "org_dept_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgDeptCreate(payload, ctx, ctx.CancellationToken));
            case "org_dept_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgDeptModify(payload, ctx, ctx.CancellationToken));
            case "org_dept_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgDeptRemove(payload, ctx, ctx.CancellationToken));
            case "org_micro_app_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgMicroAppRemove(payload, ctx, ctx.CancellationToken));
            case "org_micro_app_restore":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgMicroAppRestore(payload, ctx, ctx.CancellationToken));
            case "org_micro_app_stop":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgMicroAppStop(payload, ctx, ctx.CancellationToken));
            case "org_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgRemove(payload, ctx, ctx.CancellationToken));
            case "org_suite_auth":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnOrgSuiteAuth(payload, ctx, ctx.CancellationToken));
            case "report_comment":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnReportComment(payload, ctx, ctx.CancellationToken));
            case "report_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnReportCreate(payload, ctx, ctx.CancellationToken));
            case "report_template_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnReportTemplateChange(payload, ctx, ctx.CancellationToken));
            case "role_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnRoleCreate(payload, ctx, ctx.CancellationToken));
            case "role_group_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnRoleGroupCreate(payload, ctx, ctx.CancellationToken));
            case "role_group_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnRoleGroupRemove(payload, ctx, ctx.CancellationToken));
            case "role_modify":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnRoleModify(payload, ctx, ctx.CancellationToken));
            case "role_remove":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnRoleRemove(payload, ctx, ctx.CancellationToken));
            case "suite_relieve":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnSuiteRelieve(payload, ctx, ctx.CancellationToken));
            case "suite_ticket":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnSuiteTicket(payload, ctx, ctx.CancellationToken));
            case "tmp_auth_code":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnTmpAuthCode(payload, ctx, ctx.CancellationToken));
            case "todo_task_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnTodoTaskCreate(payload, ctx, ctx.CancellationToken));
            case "todo_task_delete":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnTodoTaskDelete(payload, ctx, ctx.CancellationToken));
            case "todo_task_finish":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnTodoTaskFinish(payload, ctx, ctx.CancellationToken));
            case "todo_task_update":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnTodoTaskUpdate(payload, ctx, ctx.CancellationToken));
            case "user_active_org":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserActiveOrg(payload, ctx, ctx.CancellationToken));
            case "user_add_org":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserAddOrg(payload, ctx, ctx.CancellationToken));
            case "user_dept_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserDeptChange(payload, ctx, ctx.CancellationToken));
            case "user_leave_org":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserLeaveOrg(payload, ctx, ctx.CancellationToken));
            case "user_modify_org":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserModifyOrg(payload, ctx, ctx.CancellationToken));
            case "user_role_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnUserRoleChange(payload, ctx, ctx.CancellationToken));
            case "workbench_shortcut_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnWorkbenchShortcutChange(payload, ctx, ctx.CancellationToken));
            case "yida_form_data_create":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnYidaFormDataCreate(payload, ctx, ctx.CancellationToken));
            case "yida_form_data_delete":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnYidaFormDataDelete(payload, ctx, ctx.CancellationToken));
            case "yida_form_data_update":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnYidaFormDataUpdate(payload, ctx, ctx.CancellationToken));
            case "yida_process_instance_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnYidaProcessInstanceChange(payload, ctx, ctx.CancellationToken));
            default:
                return new ValueTask<DingDispatchResult>(DingDispatchResult.NotHandled);
        }
    }

    private async ValueTask<DingDispatchResult> RunAsync(DingEventContext context, Func<DingGen.Bench.Handlers100.BenchHandlers, ApprovalEvent, DingEventContext, Task> handler)
    {
        ApprovalEvent payload;
        try
        {
            payload = JsonSerializer.Deserialize(context.Payload.Span, payloadInfo) ?? throw new JsonException("null payload");
        }
        catch (JsonException exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure("payload", context.EventType, exception)]);
        }

        await using var scope = context.Services.CreateAsyncScope();
        try
        {
            await handler(scope.ServiceProvider.GetRequiredService<DingGen.Bench.Handlers100.BenchHandlers>(), payload, context).ConfigureAwait(false);
            return DingDispatchResult.Handled;
        }
        catch (Exception exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure("DingGen.Bench.Handlers100.BenchHandlers", context.EventType, exception)]);
        }
    }
}
