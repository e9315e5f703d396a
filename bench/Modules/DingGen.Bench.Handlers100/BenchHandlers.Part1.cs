// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using DingGen.Bench.Payloads;

namespace DingGen.Bench.Handlers100;

/// <summary>The 100 event type(s) of this benchmark module, each handled by one method of an instance class resolved from DI.</summary>
/// <param name="sink">Where the handlers leave what they saw, so the work cannot be elided.</param>
public sealed partial class BenchHandlers(BenchSink sink)
{
    /// <summary>Handles <c>attendance_approve_finish</c>.</summary>
    [DingEvent("attendance_approve_finish")]
    public Task OnAttendanceApproveFinish([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>attendance_check_record</c>.</summary>
    [DingEvent("attendance_check_record")]
    public Task OnAttendanceCheckRecord([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>attendance_group_change</c>.</summary>
    [DingEvent("attendance_group_change")]
    public Task OnAttendanceGroupChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>attendance_overtime_duration</c>.</summary>
    [DingEvent("attendance_overtime_duration")]
    public Task OnAttendanceOvertimeDuration([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>attendance_schedule_change</c>.</summary>
    [DingEvent("attendance_schedule_change")]
    public Task OnAttendanceScheduleChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>attendance_shift_change</c>.</summary>
    [DingEvent("attendance_shift_change")]
    public Task OnAttendanceShiftChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>bpms_instance_change</c>.</summary>
    [DingEvent("bpms_instance_change")]
    public Task OnBpmsInstanceChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>bpms_task_change</c>.</summary>
    [DingEvent("bpms_task_change")]
    public Task OnBpmsTaskChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>calendar_event_change</c>.</summary>
    [DingEvent("calendar_event_change")]
    public Task OnCalendarEventChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>calendar_event_delete</c>.</summary>
    [DingEvent("calendar_event_delete")]
    public Task OnCalendarEventDelete([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>change_auth</c>.</summary>
    [DingEvent("change_auth")]
    public Task OnChangeAuth([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_add_member</c>.</summary>
    [DingEvent("chat_add_member")]
    public Task OnChatAddMember([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_disband</c>.</summary>
    [DingEvent("chat_disband")]
    public Task OnChatDisband([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_quit</c>.</summary>
    [DingEvent("chat_quit")]
    public Task OnChatQuit([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_remove_member</c>.</summary>
    [DingEvent("chat_remove_member")]
    public Task OnChatRemoveMember([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_update_owner</c>.</summary>
    [DingEvent("chat_update_owner")]
    public Task OnChatUpdateOwner([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>chat_update_title</c>.</summary>
    [DingEvent("chat_update_title")]
    public Task OnChatUpdateTitle([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>check_in</c>.</summary>
    [DingEvent("check_in")]
    public Task OnCheckIn([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>cool_app_install</c>.</summary>
    [DingEvent("cool_app_install")]
    public Task OnCoolAppInstall([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>cool_app_uninstall</c>.</summary>
    [DingEvent("cool_app_uninstall")]
    public Task OnCoolAppUninstall([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_contact_create</c>.</summary>
    [DingEvent("crm_contact_create")]
    public Task OnCrmContactCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_contact_modify</c>.</summary>
    [DingEvent("crm_contact_modify")]
    public Task OnCrmContactModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_customer_create</c>.</summary>
    [DingEvent("crm_customer_create")]
    public Task OnCrmCustomerCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_customer_modify</c>.</summary>
    [DingEvent("crm_customer_modify")]
    public Task OnCrmCustomerModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_customer_remove</c>.</summary>
    [DingEvent("crm_customer_remove")]
    public Task OnCrmCustomerRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>crm_followrecord_create</c>.</summary>
    [DingEvent("crm_followrecord_create")]
    public Task OnCrmFollowrecordCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>device_alarm</c>.</summary>
    [DingEvent("device_alarm")]
    public Task OnDeviceAlarm([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>device_status_change</c>.</summary>
    [DingEvent("device_status_change")]
    public Task OnDeviceStatusChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>ding_message_read</c>.</summary>
    [DingEvent("ding_message_read")]
    public Task OnDingMessageRead([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>ding_message_recall</c>.</summary>
    [DingEvent("ding_message_recall")]
    public Task OnDingMessageRecall([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>drive_file_create</c>.</summary>
    [DingEvent("drive_file_create")]
    public Task OnDriveFileCreate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>drive_file_delete</c>.</summary>
    [DingEvent("drive_file_delete")]
    public Task OnDriveFileDelete([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>drive_file_modify</c>.</summary>
    [DingEvent("drive_file_modify")]
    public Task OnDriveFileModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>drive_space_change</c>.</summary>
    [DingEvent("drive_space_change")]
    public Task OnDriveSpaceChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>edu_class_change</c>.</summary>
    [DingEvent("edu_class_change")]
    public Task OnEduClassChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>edu_guardian_change</c>.</summary>
    [DingEvent("edu_guardian_change")]
    public Task OnEduGuardianChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>edu_student_change</c>.</summary>
    [DingEvent("edu_student_change")]
    public Task OnEduStudentChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>edu_teacher_change</c>.</summary>
    [DingEvent("edu_teacher_change")]
    public Task OnEduTeacherChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>exclusive_login</c>.</summary>
    [DingEvent("exclusive_login")]
    public Task OnExclusiveLogin([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>extcontact_add</c>.</summary>
    [DingEvent("extcontact_add")]
    public Task OnExtcontactAdd([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>extcontact_label_change</c>.</summary>
    [DingEvent("extcontact_label_change")]
    public Task OnExtcontactLabelChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>extcontact_modify</c>.</summary>
    [DingEvent("extcontact_modify")]
    public Task OnExtcontactModify([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>extcontact_remove</c>.</summary>
    [DingEvent("extcontact_remove")]
    public Task OnExtcontactRemove([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>health_step_update</c>.</summary>
    [DingEvent("health_step_update")]
    public Task OnHealthStepUpdate([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_employee_entry</c>.</summary>
    [DingEvent("hrm_employee_entry")]
    public Task OnHrmEmployeeEntry([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_employee_leave</c>.</summary>
    [DingEvent("hrm_employee_leave")]
    public Task OnHrmEmployeeLeave([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_employee_regular</c>.</summary>
    [DingEvent("hrm_employee_regular")]
    public Task OnHrmEmployeeRegular([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_employee_transfer</c>.</summary>
    [DingEvent("hrm_employee_transfer")]
    public Task OnHrmEmployeeTransfer([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_field_change</c>.</summary>
    [DingEvent("hrm_field_change")]
    public Task OnHrmFieldChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);

    /// <summary>Handles <c>hrm_user_status_change</c>.</summary>
    [DingEvent("hrm_user_status_change")]
    public Task OnHrmUserStatusChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);
}
