using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// A change of one or more employees (<c>user_add_org</c>, <c>user_modify_org</c>, <c>user_leave_org</c>,
/// <c>user_active_org</c>, <c>org_admin_add</c>, <c>org_admin_remove</c>). Open so one handler can take several of
/// these events: a handler whose parameter is this type receives an instance of this type itself.
/// </summary>
public record DingUserChangeEvent : DingEventPayload
{
    /// <summary>The user ids concerned (<c>UserId</c>/<c>userId</c>), kept as strings: they may have leading zeros and arrive as numbers.</summary>
    [JsonConverter(typeof(DingLenientStringListConverter))]
    public IReadOnlyList<string>? UserId { get; init; }

    /// <summary>The operator's user id (<c>OptStaffId</c>), seen in captured console payloads; often absent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OptStaffId { get; init; }
}

/// <summary><c>user_add_org</c>: employees were added to the organisation.</summary>
public sealed record UserAddOrg : DingUserChangeEvent;

/// <summary><c>user_modify_org</c>: employees' profiles changed; console and Stream payloads say what changed in <see cref="DiffInfo"/>.</summary>
public sealed record UserModifyOrg : DingUserChangeEvent
{
    /// <summary>The changed profile fields before and after (console HTTP push and Stream only).</summary>
    public UserModifyDiffInfo? DiffInfo { get; init; }
}

/// <summary>The <c>diffInfo</c> of <c>user_modify_org</c>: the changed profile fields of one user.</summary>
public sealed record UserModifyDiffInfo
{
    /// <summary>The changed fields before the change.</summary>
    public UserProfileFields? Prev { get; init; }

    /// <summary>The changed fields after the change.</summary>
    public UserProfileFields? Curr { get; init; }

    /// <summary>The user whose profile changed (JSON <c>userid</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserId { get; init; }
}

/// <summary>Profile fields of a user as <c>diffInfo</c> reports them; only the changed ones are present.</summary>
public sealed record UserProfileFields
{
    /// <summary>Name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Name { get; init; }

    /// <summary>Employee number.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? JobNumber { get; init; }

    /// <summary>E-mail address.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Email { get; init; }

    /// <summary>Extension (office) telephone.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Telephone { get; init; }

    /// <summary>Work place.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? WorkPlace { get; init; }

    /// <summary>Remark.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Remark { get; init; }

    /// <summary>Hire date, as DingTalk sends it (a string of Unix milliseconds).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? HiredDate { get; init; }

    /// <summary>The manager's user id (JSON <c>managerUserid</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ManagerUserId { get; init; }

    /// <summary>Extension fields, a JSON document as text.</summary>
    [JsonConverter(typeof(DingJsonTextConverter))]
    public string? ExtFields { get; init; }
}

/// <summary><c>user_leave_org</c>: employees left the organisation.</summary>
public sealed record UserLeaveOrg : DingUserChangeEvent;

/// <summary><c>user_active_org</c>: users activated DingTalk after joining the organisation.</summary>
public sealed record UserActiveOrg : DingUserChangeEvent;

/// <summary><c>org_admin_add</c>: users were made administrators.</summary>
public sealed record OrgAdminAdd : DingUserChangeEvent;

/// <summary><c>org_admin_remove</c>: users' administrator rights were removed.</summary>
public sealed record OrgAdminRemove : DingUserChangeEvent;

/// <summary>
/// A change of one or more departments (<c>org_dept_create</c>, <c>org_dept_modify</c>, <c>org_dept_remove</c>).
/// Open so one handler can take several of these events.
/// </summary>
public record DingDeptChangeEvent : DingEventPayload
{
    /// <summary>The department ids (<c>DeptId</c>/<c>deptId</c>), read as int64 whether sent as numbers or strings.</summary>
    [JsonConverter(typeof(DingLenientInt64ListConverter))]
    public IReadOnlyList<long>? DeptId { get; init; }

    /// <summary>The operator's user id (<c>OptStaffId</c>), when sent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OptStaffId { get; init; }
}

/// <summary><c>org_dept_create</c>: departments were created.</summary>
public sealed record OrgDeptCreate : DingDeptChangeEvent;

/// <summary><c>org_dept_modify</c>: departments changed.</summary>
public sealed record OrgDeptModify : DingDeptChangeEvent;

/// <summary><c>org_dept_remove</c>: departments were deleted.</summary>
public sealed record OrgDeptRemove : DingDeptChangeEvent;

/// <summary><c>org_remove</c>: the organisation was dissolved (envelope members only).</summary>
public sealed record OrgRemove : DingEventPayload;

/// <summary><c>org_change</c>: the organisation's information changed (envelope members only).</summary>
public sealed record OrgChange : DingEventPayload;

/// <summary><c>label_user_change</c>: users were added to or removed from roles.</summary>
public sealed record LabelUserChange : DingEventPayload
{
    /// <summary>The users concerned (<c>userIdList</c>).</summary>
    [JsonConverter(typeof(DingLenientStringListConverter))]
    public IReadOnlyList<string>? UserIdList { get; init; }

    /// <summary><c>add</c> or <c>remove</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Action { get; init; }

    /// <summary>The role ids (<c>labelIdList</c>).</summary>
    [JsonConverter(typeof(DingLenientInt64ListConverter))]
    public IReadOnlyList<long>? LabelIdList { get; init; }

    /// <summary>Whether <see cref="Action"/> is <c>add</c>.</summary>
    [JsonIgnore]
    public bool IsAdd => string.Equals(Action, "add", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="Action"/> is <c>remove</c>.</summary>
    [JsonIgnore]
    public bool IsRemove => string.Equals(Action, "remove", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A change of roles or role groups (<c>label_conf_add</c>, <c>label_conf_modify</c>, <c>label_conf_del</c>).
/// Open so one handler can take several of these events.
/// </summary>
public record DingLabelConfEvent : DingEventPayload
{
    /// <summary>The role (group) ids (<c>labelIdList</c>).</summary>
    [JsonConverter(typeof(DingLenientInt64ListConverter))]
    public IReadOnlyList<long>? LabelIdList { get; init; }

    /// <summary>The scope of the change (<c>scope</c>); not sent for <c>label_conf_del</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Scope { get; init; }
}

/// <summary><c>label_conf_add</c>: roles or role groups were created.</summary>
public sealed record LabelConfAdd : DingLabelConfEvent;

/// <summary><c>label_conf_modify</c>: roles or role groups changed.</summary>
public sealed record LabelConfModify : DingLabelConfEvent
{
    /// <summary>The labels before the change; each element is a JSON document describing one label, as text.</summary>
    [JsonConverter(typeof(DingJsonTextListConverter))]
    public IReadOnlyList<string>? PreLabelList { get; init; }

    /// <summary>The labels after the change; each element is a JSON document describing one label, as text.</summary>
    [JsonConverter(typeof(DingJsonTextListConverter))]
    public IReadOnlyList<string>? PostLabelList { get; init; }
}

/// <summary><c>label_conf_del</c>: roles or role groups were deleted.</summary>
public sealed record LabelConfDel : DingLabelConfEvent;
