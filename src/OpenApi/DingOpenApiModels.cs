namespace DingGen;

/// <summary>
/// A callback registration as DingTalk stores it (<c>register_call_back</c>, <c>update_call_back</c>, <c>get_call_back</c>):
/// one URL per app, the event tags pushed to it, and the keys its callbacks are encrypted and signed with.
/// </summary>
/// <param name="Url">The callback URL DingTalk posts to.</param>
/// <param name="Tags">The event tags (<c>call_back_tag</c>), never <c>check_*</c> handshakes.</param>
/// <param name="Token">The signature token. A secret: never log it.</param>
/// <param name="AesKey">The 43-character EncodingAESKey. A secret: never log it.</param>
/// <remarks>Callbacks registered through the API are encrypted with the enterprise's <b>CorpId</b> as owner key.</remarks>
public sealed record DingCallbackRegistration(string Url, IReadOnlyList<string> Tags, string Token, string AesKey)
{
    /// <summary>Shows the URL and tags only, so a registration can be logged or printed without its keys.</summary>
    public override string ToString() => $"DingCallbackRegistration {{ Url = {Url}, Tags = [{string.Join(", ", Tags)}] }}";
}

/// <summary>One page of <c>get_call_back_failed_result</c>.</summary>
/// <param name="Events">The failed deliveries of this call (at most 200).</param>
/// <param name="HasMore">DingTalk's <c>has_more</c>: call again for more.</param>
/// <remarks>DingTalk documents no cursor or acknowledgement: entries may repeat across calls; de-duplicate.</remarks>
public sealed record DingFailedEventPage(IReadOnlyList<DingFailedEvent> Events, bool HasMore);

/// <summary>One entry of the failed-delivery list (spec 3.6), parsed defensively and kept raw for the recovery adapter.</summary>
/// <param name="Tag">The entry's <c>call_back_tag</c> (the event type).</param>
/// <param name="EventTime">The entry's <c>event_time</c> (milliseconds since the Unix epoch in DingTalk's JSON).</param>
/// <param name="CorpId">The <c>corpid</c> inside the tag member, when present.</param>
/// <param name="RawJson">The whole entry, as DingTalk sent it.</param>
/// <param name="DataJson">
/// The member named after the tag: its raw JSON when it is an object (e.g. <c>{"corpid":"ding…","userid":["…"]}</c>), or the
/// string itself when DingTalk sent a Java-map string such as <c>{corpid=ding…}</c>; <see langword="null"/> when absent.
/// </param>
public sealed record DingFailedEvent(string Tag, DateTimeOffset EventTime, string? CorpId, string RawJson, string? DataJson);

/// <summary>What <see cref="DingTalkClient.SyncCallbackAsync"/> did.</summary>
public enum DingCallbackSyncAction
{
    /// <summary>Nothing was registered: the callback was registered.</summary>
    Registered,

    /// <summary>The URL, the tag set or the keys differed: the registration was updated.</summary>
    Updated,

    /// <summary>The registration already matched: no call was made.</summary>
    Unchanged,
}

/// <summary>The outcome of <see cref="DingTalkClient.SyncCallbackAsync"/>: what was done and how the registration changed.</summary>
/// <param name="Action">Registered, updated, or unchanged.</param>
/// <param name="AddedTags">Tags now registered that were not before (all tags on <see cref="DingCallbackSyncAction.Registered"/>), ordinal order.</param>
/// <param name="RemovedTags">Tags registered before that no longer are, ordinal order.</param>
/// <param name="UrlChanged">Whether the URL differs from the one registered before (<see langword="true"/> on <see cref="DingCallbackSyncAction.Registered"/>).</param>
/// <param name="PreviousUrl">The URL registered before, or <see langword="null"/> when nothing was registered.</param>
public sealed record DingCallbackSyncResult(
    DingCallbackSyncAction Action,
    IReadOnlyList<string> AddedTags,
    IReadOnlyList<string> RemovedTags,
    bool UrlChanged,
    string? PreviousUrl)
{
    /// <summary>Whether the keys (Token/AesKey) were replaced although URL and tags were equal, or along with them.</summary>
    public bool KeysChanged { get; init; }
}

/// <summary>
/// An approval (OA 审批) instance from <c>topapi/processinstance/get</c>: the useful fields, parsed leniently, plus the raw JSON
/// of <c>process_instance</c> for anything else.
/// </summary>
/// <param name="ProcessInstanceId">The instance id asked for.</param>
/// <param name="Title">The instance title.</param>
/// <param name="Status"><c>NEW</c>, <c>RUNNING</c>, <c>TERMINATED</c>, <c>COMPLETED</c> or <c>CANCELED</c>.</param>
/// <param name="Result"><c>agree</c> or <c>refuse</c> once finished; empty or <see langword="null"/> while running.</param>
/// <param name="OriginatorUserId">The user id of the originator (<c>originator_userid</c>).</param>
/// <param name="OriginatorDeptId">The originator's department id.</param>
/// <param name="OriginatorDeptName">The originator's department name.</param>
/// <param name="CreateTime">When the instance was started (DingTalk's <c>yyyy-MM-dd HH:mm:ss</c> is China Standard Time, UTC+8).</param>
/// <param name="FinishTime">When it finished, or <see langword="null"/>.</param>
/// <param name="BusinessId">The business number (审批编号).</param>
/// <param name="BizAction"><c>NONE</c>, <c>MODIFY</c> or <c>REVOKE</c>.</param>
/// <param name="FormComponentValues">The form fields, in DingTalk's order.</param>
/// <param name="Tasks">The approval tasks.</param>
/// <param name="RawJson">The raw <c>process_instance</c> object.</param>
public sealed record DingProcessInstance(
    string ProcessInstanceId,
    string? Title,
    string? Status,
    string? Result,
    string? OriginatorUserId,
    string? OriginatorDeptId,
    string? OriginatorDeptName,
    DateTimeOffset? CreateTime,
    DateTimeOffset? FinishTime,
    string? BusinessId,
    string? BizAction,
    IReadOnlyList<DingFormComponentValue> FormComponentValues,
    IReadOnlyList<DingProcessTask> Tasks,
    string RawJson)
{
    /// <summary>The user ids copied on the instance (<c>cc_userids</c>).</summary>
    public IReadOnlyList<string> CcUserIds { get; init; } = [];

    /// <summary>The first form field named <paramref name="name"/> (ordinal), or <see langword="null"/>.</summary>
    public string? GetFormValue(string name)
    {
        foreach (var field in FormComponentValues)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field.Value;
            }
        }

        return null;
    }
}

/// <summary>One form field of an approval instance (<c>form_component_values</c>).</summary>
/// <param name="Name">The field label.</param>
/// <param name="Value">The value as DingTalk renders it (JSON text for tables and attachments).</param>
/// <param name="Id">The component id.</param>
/// <param name="ComponentType">The component type, e.g. <c>TextField</c>.</param>
/// <param name="ExtValue">DingTalk's <c>ext_value</c>, when present.</param>
public sealed record DingFormComponentValue(string? Name, string? Value, string? Id, string? ComponentType, string? ExtValue);

/// <summary>One task (approver step) of an approval instance.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="UserId">The approver's user id.</param>
/// <param name="Status"><c>NEW</c>, <c>RUNNING</c>, <c>PAUSED</c>, <c>CANCELED</c>, <c>COMPLETED</c> or <c>TERMINATED</c>.</param>
/// <param name="Result"><c>AGREE</c>, <c>REFUSE</c>, <c>REDIRECTED</c> or <c>NONE</c>.</param>
/// <param name="CreateTime">When the task started.</param>
/// <param name="FinishTime">When it finished, or <see langword="null"/>.</param>
public sealed record DingProcessTask(string? TaskId, string? UserId, string? Status, string? Result, DateTimeOffset? CreateTime, DateTimeOffset? FinishTime);
