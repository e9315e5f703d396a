using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The members shared by the two approval (OA) events, <c>bpms_instance_change</c> and <c>bpms_task_change</c>.
/// camelCase in every dialect. Open so one handler can take both events.
/// </summary>
public record DingBpmsEvent : DingEventPayload
{
    /// <summary>The approval instance id (<c>processInstanceId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ProcessInstanceId { get; init; }

    /// <summary>The approval template code, <c>PROC-…</c> (<c>processCode</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ProcessCode { get; init; }

    /// <summary>The suite category (<c>bizCategoryId</c>), e.g. <c>attendance.goout</c>; often empty.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BizCategoryId { get; init; }

    /// <summary>The approval number shown to users (<c>businessId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BusinessId { get; init; }

    /// <summary>The business type (<c>businessType</c>), newer payloads only.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BusinessType { get; init; }

    /// <summary>The approval's title.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Title { get; init; }

    /// <summary>What happened (<c>type</c>): <c>start</c>, <c>finish</c>, and <c>terminate</c>/<c>delete</c> (instances) or <c>cancel</c> (tasks).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Type { get; init; }

    /// <summary>The outcome (<c>result</c>): <c>agree</c>, <c>refuse</c>, and <c>redirect</c> for transferred tasks; absent when not finished.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Result { get; init; }

    /// <summary>When the instance (or task) was created, Unix milliseconds.</summary>
    public long? CreateTime { get; init; }

    /// <summary>When it finished, Unix milliseconds; absent for <c>start</c>.</summary>
    public long? FinishTime { get; init; }

    /// <summary>The initiator (instance events) or the approver (task events) (<c>staffId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? StaffId { get; init; }

    /// <summary>Whether <see cref="Type"/> is <c>start</c>.</summary>
    [JsonIgnore]
    public bool IsStart => Is(Type, "start");

    /// <summary>Whether <see cref="Type"/> is <c>finish</c>.</summary>
    [JsonIgnore]
    public bool IsFinish => Is(Type, "finish");

    /// <summary>Whether <see cref="Result"/> is <c>agree</c>.</summary>
    [JsonIgnore]
    public bool IsAgreed => Is(Result, "agree");

    /// <summary>Whether <see cref="Result"/> is <c>refuse</c>.</summary>
    [JsonIgnore]
    public bool IsRefused => Is(Result, "refuse");

    private protected static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>bpms_instance_change</c>: an approval instance was started, finished, terminated or deleted.</summary>
public sealed record BpmsInstanceChange : DingBpmsEvent
{
    /// <summary>The mobile approval page (<c>url</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Url { get; init; }

    /// <summary>Whether <see cref="DingBpmsEvent.Type"/> is <c>terminate</c> (the initiator withdrew it).</summary>
    [JsonIgnore]
    public bool IsTerminated => Is(Type, "terminate");

    /// <summary>Whether <see cref="DingBpmsEvent.Type"/> is <c>delete</c>.</summary>
    [JsonIgnore]
    public bool IsDeleted => Is(Type, "delete");
}

/// <summary><c>bpms_task_change</c>: an approval task was started, finished (agreed, refused, transferred) or cancelled.</summary>
public sealed record BpmsTaskChange : DingBpmsEvent
{
    /// <summary>The task id (<c>taskId</c>); exceeds int32.</summary>
    public long? TaskId { get; init; }

    /// <summary>The approver's comment (<c>remark</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Remark { get; init; }

    /// <summary>Whether the task was transferred to someone else (<see cref="DingBpmsEvent.Result"/> is <c>redirect</c>).</summary>
    [JsonIgnore]
    public bool IsRedirected => Is(Result, "redirect");

    /// <summary>Whether the task was cancelled because another approver of an or-sign node acted (<see cref="DingBpmsEvent.Type"/> is <c>cancel</c>).</summary>
    [JsonIgnore]
    public bool IsCancelled => Is(Type, "cancel");
}
