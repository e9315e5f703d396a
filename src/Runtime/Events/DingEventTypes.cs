using DingGen.Events;

namespace DingGen;

/// <summary>
/// The DingTalk event tags (<c>EventType</c> values) DingGen knows, each tied to its payload type with
/// <see cref="DingEventPayloadAttribute"/>. Use them in <c>[DingEvent(DingEventTypes.BpmsInstanceChange)]</c>.
/// </summary>
/// <remarks>
/// <para>Each constant is named after its tag in PascalCase (<c>attend_bossCheck_change</c> → <c>AttendBossCheckChange</c>).
/// Tags whose fields DingTalk documents map to a record of <c>DingGen.Events</c> named the same way; the others map to
/// <see cref="DingGenericEvent"/>. Wildcard families (<c>servicegroup_*</c>, <c>ats_*</c>, <c>smart_finance_*</c>, …) are
/// not listed: declare the ones you handle with <see cref="DingCustomEventAttribute"/>.</para>
/// <para>The <c>check_*</c> tags are answered by the endpoint itself; handlers on them are rejected.</para>
/// </remarks>
public static class DingEventTypes
{
    /// <summary><c>check_url</c>: Test event DingTalk sends to validate a callback URL (answered by the endpoint).</summary>
    [DingEventPayload(typeof(CheckUrlEvent), Handshake = true)]
    public const string CheckUrl = "check_url";

    /// <summary><c>check_create_suite_url</c>: ISV: validation of the callback URL when a suite is created (answered by the endpoint).</summary>
    [DingEventPayload(typeof(CheckUrlEvent), Handshake = true)]
    public const string CheckCreateSuiteUrl = "check_create_suite_url";

    /// <summary><c>check_update_suite_url</c>: ISV: validation of a changed suite callback URL (answered by the endpoint).</summary>
    [DingEventPayload(typeof(CheckUrlEvent), Handshake = true)]
    public const string CheckUpdateSuiteUrl = "check_update_suite_url";

    /// <summary><c>check_suite_license_code</c>: ISV: license-code check (answered by the endpoint).</summary>
    [DingEventPayload(typeof(CheckUrlEvent), Handshake = true)]
    public const string CheckSuiteLicenseCode = "check_suite_license_code";

    /// <summary><c>user_add_org</c>: Employees were added to the organisation.</summary>
    [DingEventPayload(typeof(UserAddOrg))]
    public const string UserAddOrg = "user_add_org";

    /// <summary><c>user_modify_org</c>: Employees' profiles changed.</summary>
    [DingEventPayload(typeof(UserModifyOrg))]
    public const string UserModifyOrg = "user_modify_org";

    /// <summary><c>user_leave_org</c>: Employees left the organisation.</summary>
    [DingEventPayload(typeof(UserLeaveOrg))]
    public const string UserLeaveOrg = "user_leave_org";

    /// <summary><c>user_active_org</c>: Users activated DingTalk after joining the organisation.</summary>
    [DingEventPayload(typeof(UserActiveOrg))]
    public const string UserActiveOrg = "user_active_org";

    /// <summary><c>org_admin_add</c>: Users were made administrators.</summary>
    [DingEventPayload(typeof(OrgAdminAdd))]
    public const string OrgAdminAdd = "org_admin_add";

    /// <summary><c>org_admin_remove</c>: Users' administrator rights were removed.</summary>
    [DingEventPayload(typeof(OrgAdminRemove))]
    public const string OrgAdminRemove = "org_admin_remove";

    /// <summary><c>org_dept_create</c>: Departments were created.</summary>
    [DingEventPayload(typeof(OrgDeptCreate))]
    public const string OrgDeptCreate = "org_dept_create";

    /// <summary><c>org_dept_modify</c>: Departments changed.</summary>
    [DingEventPayload(typeof(OrgDeptModify))]
    public const string OrgDeptModify = "org_dept_modify";

    /// <summary><c>org_dept_remove</c>: Departments were deleted.</summary>
    [DingEventPayload(typeof(OrgDeptRemove))]
    public const string OrgDeptRemove = "org_dept_remove";

    /// <summary><c>org_remove</c>: The organisation was dissolved.</summary>
    [DingEventPayload(typeof(OrgRemove))]
    public const string OrgRemove = "org_remove";

    /// <summary><c>org_change</c>: The organisation's information changed.</summary>
    [DingEventPayload(typeof(OrgChange))]
    public const string OrgChange = "org_change";

    /// <summary><c>org_update</c>: The organisation changed (newer name, Stream and ISV).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgUpdate = "org_update";

    /// <summary><c>label_user_change</c>: Users were added to or removed from roles.</summary>
    [DingEventPayload(typeof(LabelUserChange))]
    public const string LabelUserChange = "label_user_change";

    /// <summary><c>label_conf_add</c>: Roles or role groups were created.</summary>
    [DingEventPayload(typeof(LabelConfAdd))]
    public const string LabelConfAdd = "label_conf_add";

    /// <summary><c>label_conf_modify</c>: Roles or role groups changed.</summary>
    [DingEventPayload(typeof(LabelConfModify))]
    public const string LabelConfModify = "label_conf_modify";

    /// <summary><c>label_conf_del</c>: Roles or role groups were deleted.</summary>
    [DingEventPayload(typeof(LabelConfDel))]
    public const string LabelConfDel = "label_conf_del";

    /// <summary><c>user_dept_change</c>: An employee's information after a department change (ISV Stream/RDS).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string UserDeptChange = "user_dept_change";

    /// <summary><c>user_role_change</c>: An employee's information after a role change (ISV Stream/RDS).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string UserRoleChange = "user_role_change";

    /// <summary><c>org_role_add</c>: A role was added (ISV).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgRoleAdd = "org_role_add";

    /// <summary><c>org_role_modify</c>: A role changed (ISV).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgRoleModify = "org_role_modify";

    /// <summary><c>org_role_remove</c>: A role was deleted (ISV).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgRoleRemove = "org_role_remove";

    /// <summary><c>contact_add_org</c>: External contacts were added.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ContactAddOrg = "contact_add_org";

    /// <summary><c>contact_modify_org</c>: External contacts changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ContactModifyOrg = "contact_modify_org";

    /// <summary><c>contact_leave_org</c>: External contacts were deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ContactLeaveOrg = "contact_leave_org";

    /// <summary><c>transfer_contact_id_job_result</c>: An asynchronous contact-id translation task finished.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string TransferContactIdJobResult = "transfer_contact_id_job_result";

    /// <summary><c>bpms_instance_change</c>: An approval instance was started, finished, terminated or deleted.</summary>
    [DingEventPayload(typeof(BpmsInstanceChange))]
    public const string BpmsInstanceChange = "bpms_instance_change";

    /// <summary><c>bpms_task_change</c>: An approval task was started, finished, transferred or cancelled.</summary>
    [DingEventPayload(typeof(BpmsTaskChange))]
    public const string BpmsTaskChange = "bpms_task_change";

    /// <summary><c>workflow_instance_change_broadcast</c>: An approval instance changed (new-style event, broadcast).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WorkflowInstanceChangeBroadcast = "workflow_instance_change_broadcast";

    /// <summary><c>workflow_instance_change_directed</c>: An approval instance changed (new-style event, directed).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WorkflowInstanceChangeDirected = "workflow_instance_change_directed";

    /// <summary><c>workflow_task_change_broadcast</c>: An approval task changed (new-style event, broadcast).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WorkflowTaskChangeBroadcast = "workflow_task_change_broadcast";

    /// <summary><c>workflow_task_change_directed</c>: An approval task changed (new-style event, directed).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WorkflowTaskChangeDirected = "workflow_task_change_directed";

    /// <summary><c>workflow_form_change</c>: An approval form (template) changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WorkflowFormChange = "workflow_form_change";

    /// <summary><c>oa_timeout_plugin_task_msg</c>: An approval task timed out (timeout plugin).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OaTimeoutPluginTaskMsg = "oa_timeout_plugin_task_msg";

    /// <summary><c>chat_add_member</c>: Members were added to a group.</summary>
    [DingEventPayload(typeof(ChatAddMember))]
    public const string ChatAddMember = "chat_add_member";

    /// <summary><c>chat_remove_member</c>: Members were removed from a group.</summary>
    [DingEventPayload(typeof(ChatRemoveMember))]
    public const string ChatRemoveMember = "chat_remove_member";

    /// <summary><c>chat_quit</c>: A user left a group.</summary>
    [DingEventPayload(typeof(ChatQuit))]
    public const string ChatQuit = "chat_quit";

    /// <summary><c>chat_update_owner</c>: A group's owner changed.</summary>
    [DingEventPayload(typeof(ChatUpdateOwner))]
    public const string ChatUpdateOwner = "chat_update_owner";

    /// <summary><c>chat_update_title</c>: A group's title changed.</summary>
    [DingEventPayload(typeof(ChatUpdateTitle))]
    public const string ChatUpdateTitle = "chat_update_title";

    /// <summary><c>chat_disband</c>: A group was disbanded.</summary>
    [DingEventPayload(typeof(ChatDisband))]
    public const string ChatDisband = "chat_disband";

    /// <summary><c>chat_disband_microapp</c>: A group was disbanded (legacy micro-app tag).</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ChatDisbandMicroapp = "chat_disband_microapp";

    /// <summary><c>chat_template_change</c>: A group template was enabled or disabled.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ChatTemplateChange = "chat_template_change";

    /// <summary><c>attendance_check_record</c>: Employees punched (attendance clock-in/out).</summary>
    [DingEventPayload(typeof(AttendanceCheckRecord))]
    public const string AttendanceCheckRecord = "attendance_check_record";

    /// <summary><c>attendance_schedule_change</c>: Employees' attendance schedules changed.</summary>
    [DingEventPayload(typeof(AttendanceScheduleChange))]
    public const string AttendanceScheduleChange = "attendance_schedule_change";

    /// <summary><c>attendance_overtime_duration</c>: Employees' overtime was computed.</summary>
    [DingEventPayload(typeof(AttendanceOvertimeDuration))]
    public const string AttendanceOvertimeDuration = "attendance_overtime_duration";

    /// <summary><c>attend_group_change</c>: An attendance group changed.</summary>
    [DingEventPayload(typeof(AttendGroupChange))]
    public const string AttendGroupChange = "attend_group_change";

    /// <summary><c>attend_shift_change</c>: An attendance shift changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AttendShiftChange = "attend_shift_change";

    /// <summary><c>check_in</c>: A user signed in (签到).</summary>
    [DingEventPayload(typeof(CheckIn))]
    public const string CheckIn = "check_in";

    /// <summary><c>watermark_check_in</c>: A user punched with a watermark camera.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string WatermarkCheckIn = "watermark_check_in";

    /// <summary><c>attend_bossCheck_change</c>: Attendance results were changed by a manager.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AttendBossCheckChange = "attend_bossCheck_change";

    /// <summary><c>attendance_approve_status_change</c>: A leave, overtime, business-trip or out-of-office status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AttendanceApproveStatusChange = "attendance_approve_status_change";

    /// <summary><c>overtime_to_vacation_data</c>: Overtime was converted to vacation.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OvertimeToVacationData = "overtime_to_vacation_data";

    /// <summary><c>leave_record_change</c>: A leave record changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LeaveRecordChange = "leave_record_change";

    /// <summary><c>leave_rule_change</c>: A leave rule changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LeaveRuleChange = "leave_rule_change";

    /// <summary><c>leave_quota_update</c>: A leave quota changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LeaveQuotaUpdate = "leave_quota_update";

    /// <summary><c>attend_user_daily_summary_refresh</c>: An employee's daily attendance summary was refreshed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AttendUserDailySummaryRefresh = "attend_user_daily_summary_refresh";

    /// <summary><c>attendance_report_column_change</c>: An attendance report column changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AttendanceReportColumnChange = "attendance_report_column_change";

    /// <summary><c>suite_ticket</c>: ISV: a new suite ticket.</summary>
    [DingEventPayload(typeof(SuiteTicket))]
    public const string SuiteTicket = "suite_ticket";

    /// <summary><c>tmp_auth_code</c>: ISV: an organisation authorised (opened) the app.</summary>
    [DingEventPayload(typeof(TmpAuthCode))]
    public const string TmpAuthCode = "tmp_auth_code";

    /// <summary><c>change_auth</c>: ISV: an organisation changed the app's contact-scope authorisation.</summary>
    [DingEventPayload(typeof(ChangeAuth))]
    public const string ChangeAuth = "change_auth";

    /// <summary><c>suite_relieve</c>: ISV: an organisation revoked the app's authorisation.</summary>
    [DingEventPayload(typeof(SuiteRelieve))]
    public const string SuiteRelieve = "suite_relieve";

    /// <summary><c>org_micro_app_stop</c>: The organisation disabled the app.</summary>
    [DingEventPayload(typeof(OrgMicroAppStop))]
    public const string OrgMicroAppStop = "org_micro_app_stop";

    /// <summary><c>org_micro_app_restore</c>: The organisation re-enabled the app.</summary>
    [DingEventPayload(typeof(OrgMicroAppRestore))]
    public const string OrgMicroAppRestore = "org_micro_app_restore";

    /// <summary><c>org_micro_app_remove</c>: The organisation deleted the app.</summary>
    [DingEventPayload(typeof(OrgMicroAppRemove))]
    public const string OrgMicroAppRemove = "org_micro_app_remove";

    /// <summary><c>market_buy</c>: ISV: an order was placed in the app market.</summary>
    [DingEventPayload(typeof(MarketBuy))]
    public const string MarketBuy = "market_buy";

    /// <summary><c>main_data_subscribe</c>: ISV: an organisation authorised a master-data subscription.</summary>
    [DingEventPayload(typeof(MainDataSubscribe))]
    public const string MainDataSubscribe = "main_data_subscribe";

    /// <summary><c>org_suite_auth</c>: ISV (Stream): an organisation authorised the suite.</summary>
    [DingEventPayload(typeof(OrgSuiteAuth))]
    public const string OrgSuiteAuth = "org_suite_auth";

    /// <summary><c>org_suite_change</c>: ISV (Stream): an organisation changed the suite's authorisation.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgSuiteChange = "org_suite_change";

    /// <summary><c>org_suite_relieve</c>: ISV (Stream): an organisation revoked the suite.</summary>
    [DingEventPayload(typeof(OrgSuiteRelieve))]
    public const string OrgSuiteRelieve = "org_suite_relieve";

    /// <summary><c>org_micro_app_scope_update</c>: The visible range of a micro app changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgMicroAppScopeUpdate = "org_micro_app_scope_update";

    /// <summary><c>market_order</c>: App market: an order was placed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketOrder = "market_order";

    /// <summary><c>market_order_tag</c>: App market: an order was tagged.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketOrderTag = "market_order_tag";

    /// <summary><c>market_service_open</c>: App market: a service was opened.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketServiceOpen = "market_service_open";

    /// <summary><c>market_service_close</c>: App market: a service was closed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketServiceClose = "market_service_close";

    /// <summary><c>market_order_refund_event</c>: App market: an order was refunded.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketOrderRefundEvent = "market_order_refund_event";

    /// <summary><c>goods_tryout</c>: App market: goods were tried out.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string GoodsTryout = "goods_tryout";

    /// <summary><c>market_ai_agent_order</c>: App market: an AI agent was ordered.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MarketAiAgentOrder = "market_ai_agent_order";

    /// <summary><c>meetingroom_book</c>: A meeting room was booked, cancelled or approved.</summary>
    [DingEventPayload(typeof(MeetingroomBook))]
    public const string MeetingroomBook = "meetingroom_book";

    /// <summary><c>meetingroom_room_info</c>: A meeting room was created, updated or deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MeetingroomRoomInfo = "meetingroom_room_info";

    /// <summary><c>edu_user_insert</c>: Home-school contacts: a person identity was added.</summary>
    [DingEventPayload(typeof(EduUserInsert))]
    public const string EduUserInsert = "edu_user_insert";

    /// <summary><c>edu_user_update</c>: Home-school contacts: a person identity changed.</summary>
    [DingEventPayload(typeof(EduUserUpdate))]
    public const string EduUserUpdate = "edu_user_update";

    /// <summary><c>edu_user_delete</c>: Home-school contacts: a person identity was removed.</summary>
    [DingEventPayload(typeof(EduUserDelete))]
    public const string EduUserDelete = "edu_user_delete";

    /// <summary><c>edu_user_relation_insert</c>: Home-school contacts: a relation was added.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduUserRelationInsert = "edu_user_relation_insert";

    /// <summary><c>edu_user_relation_update</c>: Home-school contacts: a relation changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduUserRelationUpdate = "edu_user_relation_update";

    /// <summary><c>edu_user_relation_delete</c>: Home-school contacts: a relation was removed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduUserRelationDelete = "edu_user_relation_delete";

    /// <summary><c>edu_dept_insert</c>: Home-school contacts: a node was added.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduDeptInsert = "edu_dept_insert";

    /// <summary><c>edu_dept_update</c>: Home-school contacts: a node changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduDeptUpdate = "edu_dept_update";

    /// <summary><c>edu_dept_delete</c>: Home-school contacts: a node was removed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduDeptDelete = "edu_dept_delete";

    /// <summary><c>doc_spaces_create_team</c>: Documents: a team space was created.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DocSpacesCreateTeam = "doc_spaces_create_team";

    /// <summary><c>doc_spaces_team_change</c>: Documents: a team space changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DocSpacesTeamChange = "doc_spaces_team_change";

    /// <summary><c>doc_spaces_team_member_change</c>: Documents: a team space's members changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DocSpacesTeamMemberChange = "doc_spaces_team_member_change";

    /// <summary><c>doc_export_completed</c>: Documents: an export completed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DocExportCompleted = "doc_export_completed";

    /// <summary><c>storage_dentry_create</c>: Storage: a file or folder was created.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string StorageDentryCreate = "storage_dentry_create";

    /// <summary><c>storage_dentry_update</c>: Storage: a file or folder changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string StorageDentryUpdate = "storage_dentry_update";

    /// <summary><c>storage_dentry_delete</c>: Storage: a file or folder was deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string StorageDentryDelete = "storage_dentry_delete";

    /// <summary><c>calendar_event_change</c>: Calendar: an event changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string CalendarEventChange = "calendar_event_change";

    /// <summary><c>blackboard_sent</c>: Blackboard: an announcement was sent.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string BlackboardSent = "blackboard_sent";

    /// <summary><c>project_worktime_updated</c>: Teambition: work time was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectWorktimeUpdated = "project_worktime_updated";

    /// <summary><c>project_project_changed</c>: Teambition: a project changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectProjectChanged = "project_project_changed";

    /// <summary><c>project_project_member_changed</c>: Teambition: a project's members changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectProjectMemberChanged = "project_project_member_changed";

    /// <summary><c>project_project_app_changed</c>: Teambition: a project's apps changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectProjectAppChanged = "project_project_app_changed";

    /// <summary><c>project_task_changed</c>: Teambition: a task changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectTaskChanged = "project_task_changed";

    /// <summary><c>project_task_updated</c>: Teambition: a task was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectTaskUpdated = "project_task_updated";

    /// <summary><c>project_project_updated</c>: Teambition: a project was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ProjectProjectUpdated = "project_project_updated";

    /// <summary><c>todo_task_create</c>: To-do: a task was created.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string TodoTaskCreate = "todo_task_create";

    /// <summary><c>todo_task_update</c>: To-do: a task was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string TodoTaskUpdate = "todo_task_update";

    /// <summary><c>todo_task_delete</c>: To-do: a task was deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string TodoTaskDelete = "todo_task_delete";

    /// <summary><c>live_status_change_event</c>: Live: a live stream's status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LiveStatusChangeEvent = "live_status_change_event";

    /// <summary><c>live_update_event</c>: Live: a live stream was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LiveUpdateEvent = "live_update_event";

    /// <summary><c>live_watch_playback_event</c>: Live: a playback was watched.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LiveWatchPlaybackEvent = "live_watch_playback_event";

    /// <summary><c>live_statistic_done_event</c>: Live: a live stream's statistics are ready.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LiveStatisticDoneEvent = "live_statistic_done_event";

    /// <summary><c>meeting_status_change</c>: Video meeting: a meeting's status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MeetingStatusChange = "meeting_status_change";

    /// <summary><c>meeting_member_status_change</c>: Video meeting: a member's status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MeetingMemberStatusChange = "meeting_member_status_change";

    /// <summary><c>meeting_asr_result_event</c>: Video meeting: a speech-recognition result is available.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string MeetingAsrResultEvent = "meeting_asr_result_event";

    /// <summary><c>flash_minutes_open_event</c>: Flash minutes were opened.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string FlashMinutesOpenEvent = "flash_minutes_open_event";

    /// <summary><c>dingtalk_projection</c>: Screen projection event.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingtalkProjection = "dingtalk_projection";

    /// <summary><c>robot_msg_recall</c>: Robot: a message was recalled.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string RobotMsgRecall = "robot_msg_recall";

    /// <summary><c>robot_msg_read</c>: Robot: a message was read.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string RobotMsgRead = "robot_msg_read";

    /// <summary><c>im_cool_app_install</c>: A cool app was installed in a group.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ImCoolAppInstall = "im_cool_app_install";

    /// <summary><c>im_cool_app_uninstall</c>: A cool app was uninstalled from a group.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ImCoolAppUninstall = "im_cool_app_uninstall";

    /// <summary><c>single_conversation_cool_app_install</c>: A cool app was installed in a one-to-one chat.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string SingleConversationCoolAppInstall = "single_conversation_cool_app_install";

    /// <summary><c>single_conversation_cool_app_uninstall</c>: A cool app was uninstalled from a one-to-one chat.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string SingleConversationCoolAppUninstall = "single_conversation_cool_app_uninstall";

    /// <summary><c>hrm_user_record_change</c>: HR: an employee record changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HrmUserRecordChange = "hrm_user_record_change";

    /// <summary><c>hrm_mdm_user_change</c>: HR master data: an employee changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HrmMdmUserChange = "hrm_mdm_user_change";

    /// <summary><c>hrm_mdm_user_info_change</c>: HR master data: an employee's information changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HrmMdmUserInfoChange = "hrm_mdm_user_info_change";

    /// <summary><c>hrm_solution_manage</c>: HR: solution management event.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HrmSolutionManage = "hrm_solution_manage";

    /// <summary><c>hrm_app_authorize</c>: HR: an app was authorised.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HrmAppAuthorize = "hrm_app_authorize";

    /// <summary><c>commercial_solution</c>: Commercial solution event.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string CommercialSolution = "commercial_solution";

    /// <summary><c>train_course_user_info</c>: Training: a user's course information changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string TrainCourseUserInfo = "train_course_user_info";

    /// <summary><c>rcm_channel_message_push</c>: Recruitment: a channel message was pushed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string RcmChannelMessagePush = "rcm_channel_message_push";

    /// <summary><c>hire_agent_sourcing_task_change</c>: Recruitment: a sourcing task changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HireAgentSourcingTaskChange = "hire_agent_sourcing_task_change";

    /// <summary><c>open_batch_trade_callback</c>: Finance: a batch trade completed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OpenBatchTradeCallback = "open_batch_trade_callback";

    /// <summary><c>open_user_agreement_callback</c>: Finance: a user agreement changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OpenUserAgreementCallback = "open_user_agreement_callback";

    /// <summary><c>ding_crm_object_meta</c>: CRM: object metadata changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingCrmObjectMeta = "ding_crm_object_meta";

    /// <summary><c>crm_customer_track</c>: CRM: a customer track was recorded.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string CrmCustomerTrack = "crm_customer_track";

    /// <summary><c>ding_paas_object_data_create</c>: PaaS: object data was created.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingPaasObjectDataCreate = "ding_paas_object_data_create";

    /// <summary><c>ding_paas_object_data_update</c>: PaaS: object data was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingPaasObjectDataUpdate = "ding_paas_object_data_update";

    /// <summary><c>ding_paas_object_data_delete</c>: PaaS: object data was deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingPaasObjectDataDelete = "ding_paas_object_data_delete";

    /// <summary><c>honor_grant</c>: Honours: an honour was granted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HonorGrant = "honor_grant";

    /// <summary><c>honor_audit</c>: Honours: an honour was audited.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string HonorAudit = "honor_audit";

    /// <summary><c>inner_app_release</c>: An internal app was released.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string InnerAppRelease = "inner_app_release";

    /// <summary><c>inner_app_status_change</c>: An internal app's status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string InnerAppStatusChange = "inner_app_status_change";

    /// <summary><c>inner_app_scopes_change</c>: An internal app's scopes changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string InnerAppScopesChange = "inner_app_scopes_change";

    /// <summary><c>inner_app_version_publish</c>: An internal app version was published.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string InnerAppVersionPublish = "inner_app_version_publish";

    /// <summary><c>inner_app_version_rollback</c>: An internal app version was rolled back.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string InnerAppVersionRollback = "inner_app_version_rollback";

    /// <summary><c>integration_app_install_event</c>: An integration app was installed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string IntegrationAppInstallEvent = "integration_app_install_event";

    /// <summary><c>ai_assistant_install</c>: An AI assistant was installed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AiAssistantInstall = "ai_assistant_install";

    /// <summary><c>ai_assistant_change</c>: An AI assistant changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AiAssistantChange = "ai_assistant_change";

    /// <summary><c>device_bind_update</c>: Devices: a binding changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DeviceBindUpdate = "device_bind_update";

    /// <summary><c>aiot_device_uplink_event</c>: Devices: an AIoT device sent uplink data.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string AiotDeviceUplinkEvent = "aiot_device_uplink_event";

    /// <summary><c>ding_badge_verify</c>: Devices: a DingTalk badge was verified.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DingBadgeVerify = "ding_badge_verify";

    /// <summary><c>badge_device_status_change</c>: Devices: a badge device's status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string BadgeDeviceStatusChange = "badge_device_status_change";

    /// <summary><c>dvi_device_owner_change</c>: Devices: a device's owner changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DviDeviceOwnerChange = "dvi_device_owner_change";

    /// <summary><c>dvi_custom_ai_analysis_completed</c>: Devices: a custom AI analysis completed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string DviCustomAiAnalysisCompleted = "dvi_custom_ai_analysis_completed";

    /// <summary><c>edu_card_update</c>: Education: a card was updated.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduCardUpdate = "edu_card_update";

    /// <summary><c>edu_card_end</c>: Education: a card ended.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduCardEnd = "edu_card_end";

    /// <summary><c>edu_card_delete</c>: Education: a card was deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduCardDelete = "edu_card_delete";

    /// <summary><c>edu_trade_pay_status_sync</c>: Education: a trade's payment status changed.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string EduTradePayStatusSync = "edu_trade_pay_status_sync";

    /// <summary><c>official_account_follow</c>: A user followed an official account.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OfficialAccountFollow = "official_account_follow";

    /// <summary><c>official_account_unfollow</c>: A user unfollowed an official account.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OfficialAccountUnfollow = "official_account_unfollow";

    /// <summary><c>official_account_user_data_apply_result</c>: An official account's user-data application was decided.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OfficialAccountUserDataApplyResult = "official_account_user_data_apply_result";

    /// <summary><c>isw_user_event_received</c>: Intelligent service window: a user event was received.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string IswUserEventReceived = "isw_user_event_received";

    /// <summary><c>isw_user_msg_received</c>: Intelligent service window: a user message was received.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string IswUserMsgReceived = "isw_user_msg_received";

    /// <summary><c>approve_open_group_expansion</c>: A group expansion was approved.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ApproveOpenGroupExpansion = "approve_open_group_expansion";

    /// <summary><c>exclusive_data_transfer</c>: Exclusive DingTalk: data was transferred.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ExclusiveDataTransfer = "exclusive_data_transfer";

    /// <summary><c>exclusive_delete_trusted_device</c>: Exclusive DingTalk: a trusted device was deleted.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string ExclusiveDeleteTrustedDevice = "exclusive_delete_trusted_device";

    /// <summary><c>org_file_send_check</c>: An organisation file send is checked.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string OrgFileSendCheck = "org_file_send_check";

    /// <summary><c>light_opportunity_notice</c>: Light opportunity notice.</summary>
    [DingEventPayload(typeof(DingGenericEvent))]
    public const string LightOpportunityNotice = "light_opportunity_notice";
}
