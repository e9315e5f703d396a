using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The source-generated JSON metadata of the event catalogue, with DingTalk's parsing rules:
/// case-insensitive member names and numbers accepted from strings. Every payload record of
/// <c>DingGen.Events</c> is registered, including the open base records (so a handler may take a shared base
/// such as <see cref="DingUserChangeEvent"/> for several events) and the nested item records.
/// </summary>
/// <remarks>
/// Ids that DingTalk sends as a string in one dialect and a number in another are read with
/// <see cref="DingLenientStringConverter"/>, <see cref="DingLenientStringListConverter"/> and
/// <see cref="DingLenientInt64ListConverter"/>, attached to the properties. Unknown members are ignored. When a payload
/// repeats a member under two spellings (<c>CorpId</c> and <c>corpId</c>), both match the one property and the later
/// value wins (System.Text.Json allows duplicate members by default).
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(DingGenericEvent))]
[JsonSerializable(typeof(CheckUrlEvent))]
[JsonSerializable(typeof(DingUserChangeEvent))]
[JsonSerializable(typeof(UserAddOrg))]
[JsonSerializable(typeof(UserModifyOrg))]
[JsonSerializable(typeof(UserModifyDiffInfo))]
[JsonSerializable(typeof(UserProfileFields))]
[JsonSerializable(typeof(UserLeaveOrg))]
[JsonSerializable(typeof(UserActiveOrg))]
[JsonSerializable(typeof(OrgAdminAdd))]
[JsonSerializable(typeof(OrgAdminRemove))]
[JsonSerializable(typeof(DingDeptChangeEvent))]
[JsonSerializable(typeof(OrgDeptCreate))]
[JsonSerializable(typeof(OrgDeptModify))]
[JsonSerializable(typeof(OrgDeptRemove))]
[JsonSerializable(typeof(OrgRemove))]
[JsonSerializable(typeof(OrgChange))]
[JsonSerializable(typeof(LabelUserChange))]
[JsonSerializable(typeof(DingLabelConfEvent))]
[JsonSerializable(typeof(LabelConfAdd))]
[JsonSerializable(typeof(LabelConfModify))]
[JsonSerializable(typeof(LabelConfDel))]
[JsonSerializable(typeof(DingBpmsEvent))]
[JsonSerializable(typeof(BpmsInstanceChange))]
[JsonSerializable(typeof(BpmsTaskChange))]
[JsonSerializable(typeof(DingChatEvent))]
[JsonSerializable(typeof(DingChatMemberEvent))]
[JsonSerializable(typeof(ChatAddMember))]
[JsonSerializable(typeof(ChatRemoveMember))]
[JsonSerializable(typeof(ChatQuit))]
[JsonSerializable(typeof(ChatUpdateOwner))]
[JsonSerializable(typeof(ChatUpdateTitle))]
[JsonSerializable(typeof(ChatDisband))]
[JsonSerializable(typeof(AttendanceCheckRecord))]
[JsonSerializable(typeof(AttendanceCheckRecordItem))]
[JsonSerializable(typeof(AttendanceScheduleChange))]
[JsonSerializable(typeof(AttendanceScheduleChangeItem))]
[JsonSerializable(typeof(AttendanceOvertimeDuration))]
[JsonSerializable(typeof(AttendanceOvertimeDurationItem))]
[JsonSerializable(typeof(AttendGroupChange))]
[JsonSerializable(typeof(CheckIn))]
[JsonSerializable(typeof(DingSuiteEvent))]
[JsonSerializable(typeof(SuiteTicket))]
[JsonSerializable(typeof(TmpAuthCode))]
[JsonSerializable(typeof(ChangeAuth))]
[JsonSerializable(typeof(SuiteRelieve))]
[JsonSerializable(typeof(DingMicroAppEvent))]
[JsonSerializable(typeof(OrgMicroAppStop))]
[JsonSerializable(typeof(OrgMicroAppRestore))]
[JsonSerializable(typeof(OrgMicroAppRemove))]
[JsonSerializable(typeof(MarketBuy))]
[JsonSerializable(typeof(MainDataSubscribe))]
[JsonSerializable(typeof(MainDataSubAuth))]
[JsonSerializable(typeof(OrgSuiteAuth))]
[JsonSerializable(typeof(OrgSuiteRelieve))]
[JsonSerializable(typeof(MeetingroomBook))]
[JsonSerializable(typeof(DingEduUserEvent))]
[JsonSerializable(typeof(EduUserInsert))]
[JsonSerializable(typeof(EduUserUpdate))]
[JsonSerializable(typeof(EduUserDelete))]
public sealed partial class DingEventsJsonContext : JsonSerializerContext
{
}
