using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary><c>attendance_check_record</c>: employees punched (at most one event per user per minute).</summary>
public sealed record AttendanceCheckRecord : DingEventPayload
{
    /// <summary>The punches (<c>DataList</c> in legacy payloads, <c>dataList</c> in Stream ones).</summary>
    public IReadOnlyList<AttendanceCheckRecordItem>? DataList { get; init; }
}

/// <summary>One punch of <see cref="AttendanceCheckRecord"/>.</summary>
public sealed record AttendanceCheckRecordItem
{
    /// <summary>The organisation.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? CorpId { get; init; }

    /// <summary>The user who punched.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserId { get; init; }

    /// <summary>When, Unix milliseconds.</summary>
    public long? CheckTime { get; init; }

    /// <summary>The attendance group id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? GroupId { get; init; }

    /// <summary>The punch's id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BizId { get; init; }

    /// <summary>The address.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Address { get; init; }

    /// <summary>Latitude.</summary>
    public double? Latitude { get; init; }

    /// <summary>Longitude.</summary>
    public double? Longitude { get; init; }

    /// <summary>How the location was found: <c>MAP</c>, <c>WIFI</c>, <c>ATM</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? LocationMethod { get; init; }

    /// <summary><c>Normal</c> or <c>Outside</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? LocationResult { get; init; }

    /// <summary>The punch device's serial number (device punches, JSON <c>deviceSN</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? DeviceSN { get; init; }

    /// <summary>Whether the user punched themselves.</summary>
    public bool? CheckByUser { get; init; }
}

/// <summary><c>attendance_schedule_change</c>: employees' schedules changed.</summary>
public sealed record AttendanceScheduleChange : DingEventPayload
{
    /// <summary>The changes (<c>DataList</c>/<c>dataList</c>).</summary>
    public IReadOnlyList<AttendanceScheduleChangeItem>? DataList { get; init; }
}

/// <summary>One change of <see cref="AttendanceScheduleChange"/>.</summary>
public sealed record AttendanceScheduleChangeItem
{
    /// <summary>The organisation.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? CorpId { get; init; }

    /// <summary>The users concerned.</summary>
    [JsonConverter(typeof(DingLenientStringListConverter))]
    public IReadOnlyList<string>? UserIds { get; init; }

    /// <summary>Start of the work dates concerned, Unix milliseconds.</summary>
    public long? WorkDateBegin { get; init; }

    /// <summary>End of the work dates concerned, Unix milliseconds.</summary>
    public long? WorkDateEnd { get; init; }

    /// <summary><c>modify</c> or <c>delete</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Type { get; init; }
}

/// <summary><c>attendance_overtime_duration</c>: employees' overtime was computed.</summary>
public sealed record AttendanceOvertimeDuration : DingEventPayload
{
    /// <summary>The overtime records (<c>DataList</c>/<c>dataList</c>).</summary>
    public IReadOnlyList<AttendanceOvertimeDurationItem>? DataList { get; init; }
}

/// <summary>One record of <see cref="AttendanceOvertimeDuration"/>.</summary>
public sealed record AttendanceOvertimeDurationItem
{
    /// <summary>The organisation.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? CorpId { get; init; }

    /// <summary>The user (JSON <c>userid</c>, lower-case d; <c>userId</c> is read as well).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserId { get; init; }

    /// <summary>Overtime in days.</summary>
    public double? OvertimeDay { get; init; }

    /// <summary>Overtime in hours.</summary>
    public double? OvertimeHour { get; init; }

    /// <summary>The work date, Unix milliseconds.</summary>
    public long? WorkDate { get; init; }
}

/// <summary><c>attend_group_change</c>: an attendance group changed (its organisation arrives as <c>corpid</c>).</summary>
public sealed record AttendGroupChange : DingEventPayload
{
    /// <summary>The attendance group id.</summary>
    public long? Id { get; init; }

    /// <summary>The attendance group name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Name { get; init; }

    /// <summary>What happened, e.g. <c>attend_group_delete</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Action { get; init; }
}

/// <summary><c>check_in</c>: a user signed in (签到).</summary>
public sealed record CheckIn : DingEventPayload
{
    /// <summary>The user who signed in (<c>StaffId</c>/<c>staffId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? StaffId { get; init; }
}
