using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary><c>meetingroom_book</c>: a meeting room was booked, cancelled or approved (<see cref="EventSubType"/>).</summary>
public sealed record MeetingroomBook : DingEventPayload
{
    /// <summary>What happened: <c>bookSuccess</c>, <c>bookCancel</c>, <c>appvaral</c>, …</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? EventSubType { get; init; }

    /// <summary>When it was booked, <c>yyyy-MM-dd HH:mm:ss</c> (China time), as sent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BookTime { get; init; }

    /// <summary>The booking's previous status.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? PreStatus { get; init; }

    /// <summary>The meeting's title.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Title { get; init; }

    /// <summary>The booker's name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserName { get; init; }

    /// <summary>The booker's user id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserId { get; init; }

    /// <summary>The room id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? RoomId { get; init; }

    /// <summary>The room name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? RoomName { get; init; }

    /// <summary>The booking id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BookId { get; init; }

    /// <summary>Whether the booking needs approval.</summary>
    public bool? IsApproval { get; init; }

    /// <summary>Start of the booking, as sent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? StartTime { get; init; }

    /// <summary>End of the booking, as sent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? EndTime { get; init; }
}

/// <summary>A home-school person identity changed (<c>edu_user_insert</c>, <c>edu_user_update</c>, <c>edu_user_delete</c>). Open so one handler can take all three.</summary>
public record DingEduUserEvent : DingEventPayload
{
    /// <summary>The user id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? UserId { get; init; }

    /// <summary>The person's name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Name { get; init; }

    /// <summary><c>teacher</c>, <c>guardian</c> or <c>student</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Role { get; init; }

    /// <summary>Role details, a JSON document as text.</summary>
    [JsonConverter(typeof(DingJsonTextConverter))]
    public string? Feature { get; init; }

    /// <summary>The class (department) id.</summary>
    public long? ClassId { get; init; }
}

/// <summary><c>edu_user_insert</c>: a home-school person identity was added.</summary>
public sealed record EduUserInsert : DingEduUserEvent;

/// <summary><c>edu_user_update</c>: a home-school person identity changed.</summary>
public sealed record EduUserUpdate : DingEduUserEvent;

/// <summary><c>edu_user_delete</c>: a home-school person identity was removed.</summary>
public sealed record EduUserDelete : DingEduUserEvent;
