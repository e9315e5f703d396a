using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class OtherEventTests
{
    [Fact]
    public void Attendance_check_record_reads_the_data_list()
    {
        var e = EventJson.Parse<AttendanceCheckRecord>(
            """{"DataList":[{"address":"浙江省杭州市余杭区文一西路969号","checkTime":1717031880000,"corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","groupId":"612345001","latitude":30.2852308,"bizId":"FF62A19C7E","locationMethod":"MAP","userId":"0214382847291053","longitude":120.0171351,"locationResult":"Normal","checkByUser":true}],"EventType":"attendance_check_record"}""");

        Assert.Equal(DingEventTypes.AttendanceCheckRecord, e.EventType);
        var item = Assert.Single(e.DataList!);
        Assert.Equal("浙江省杭州市余杭区文一西路969号", item.Address);
        Assert.Equal(1717031880000L, item.CheckTime);
        Assert.Equal("ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3", item.CorpId);
        Assert.Equal("612345001", item.GroupId);
        Assert.Equal(30.2852308, item.Latitude);
        Assert.Equal(120.0171351, item.Longitude);
        Assert.Equal("FF62A19C7E", item.BizId);
        Assert.Equal("MAP", item.LocationMethod);
        Assert.Equal("0214382847291053", item.UserId);
        Assert.Equal("Normal", item.LocationResult);
        Assert.Equal(true, item.CheckByUser);
        Assert.Null(item.DeviceSN);
        Assert.Null(e.CorpId);
    }

    [Fact]
    public void Attendance_check_record_stream_uses_camel_case_data_list_and_numeric_group_id()
    {
        var e = EventJson.Parse<AttendanceCheckRecord>("""{"dataList":[{"userId":"0214382847291053","groupId":612345001,"deviceSN":"SN01","checkTime":"1717031880000"}]}""");

        var item = Assert.Single(e.DataList!);
        Assert.Equal("612345001", item.GroupId);
        Assert.Equal("SN01", item.DeviceSN);
        Assert.Equal(1717031880000L, item.CheckTime);
    }

    [Fact]
    public void Attendance_overtime_duration_reads_lower_case_userid()
    {
        var e = EventJson.Parse<AttendanceOvertimeDuration>(
            """{"EventType":"attendance_overtime_duration","DataList":[{"corpId":"dingC","userid":"0214382847291053","overtimeDay":0.5,"overtimeHour":4.0,"workDate":1717027200000}]}""");

        var item = Assert.Single(e.DataList!);
        Assert.Equal("0214382847291053", item.UserId);
        Assert.Equal(0.5, item.OvertimeDay);
        Assert.Equal(4.0, item.OvertimeHour);
        Assert.Equal(1717027200000L, item.WorkDate);
    }

    [Fact]
    public void Attendance_schedule_change_reads_user_ids()
    {
        var e = EventJson.Parse<AttendanceScheduleChange>(
            """{"EventType":"attendance_schedule_change","DataList":[{"workDateBegin":1717027200000,"workDateEnd":1717113600000,"corpId":"dingC","userIds":["0214382847291053",771],"type":"modify"}]}""");

        var item = Assert.Single(e.DataList!);
        Assert.Equal(["0214382847291053", "771"], item.UserIds);
        Assert.Equal("modify", item.Type);
        Assert.Equal(1717113600000L, item.WorkDateEnd);
    }

    [Fact]
    public void Attend_group_change_reads_lower_case_corpid()
    {
        var e = EventJson.Parse<AttendGroupChange>("""{"EventType":"attend_group_change","corpid":"dingC","name":"研发考勤组","action":"attend_group_delete","id":612345001}""");

        Assert.Equal("dingC", e.CorpId);
        Assert.Equal("研发考勤组", e.Name);
        Assert.Equal("attend_group_delete", e.Action);
        Assert.Equal(612345001L, e.Id);
    }

    [Fact]
    public void Check_in_legacy_and_stream()
    {
        var legacy = EventJson.Parse<CheckIn>("""{"EventType":"check_in","TimeStamp":1717031990000,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","StaffId":"0214382847291053"}""");
        var stream = EventJson.Parse<CheckIn>("""{"timeStamp":1717031990000,"staffId":"0214382847291053"}""");

        Assert.Equal("0214382847291053", legacy.StaffId);
        Assert.Equal("1717031990000", legacy.TimeStamp);
        Assert.Equal("0214382847291053", stream.StaffId);
    }

    [Fact]
    public void Meetingroom_book()
    {
        var e = EventJson.Parse<MeetingroomBook>(
            """{"EventType":"meetingroom_book","eventSubType":"bookSuccess","corpId":"dingC","bookTime":"2024-06-01 10:30:00","preStatus":"","title":"周会","userName":"李四","userId":"0214382847291053","roomId":"r1","roomName":"西湖厅","bookId":"b1","isApproval":false,"startTime":"2024-06-03 09:00:00","endTime":"2024-06-03 10:00:00"}""");

        Assert.Equal("bookSuccess", e.EventSubType);
        Assert.Equal("2024-06-01 10:30:00", e.BookTime);
        Assert.Equal("西湖厅", e.RoomName);
        Assert.Equal(false, e.IsApproval);
        Assert.Equal("2024-06-03 10:00:00", e.EndTime);
    }

    [Fact]
    public void Edu_user_events()
    {
        var e = EventJson.Parse<EduUserInsert>("""{"EventType":"edu_user_insert","corpId":"dingC","role":"guardian","feature":"{\"relation\":\"father\"}","classId":"612345","name":"王五","userId":"0214382847291053"}""");

        Assert.Equal("guardian", e.Role);
        Assert.Equal("""{"relation":"father"}""", e.Feature);
        Assert.Equal(612345L, e.ClassId);
        Assert.Equal("王五", e.Name);
    }

    [Fact]
    public void Edu_user_feature_sent_as_an_object_is_kept_as_json_text()
    {
        var e = EventJson.Parse<EduUserUpdate>("""{"EventType":"edu_user_update","role":"student","feature":{"stuId":"S1"},"classId":612345}""");

        Assert.Equal("""{"stuId":"S1"}""", e.Feature);
    }

    [Fact]
    public void Generic_event_keeps_the_envelope_and_every_other_member()
    {
        var e = EventJson.Parse<DingGenericEvent>(
            """{"EventType":"org_update","EventTime":1717000000000,"CorpId":"dingC","BizId":"b1","eventId":"e1","timeStamp":1717000000001,"Changes":{"name":"新名字"},"count":3}""");

        Assert.Equal(DingEventTypes.OrgUpdate, e.EventType);
        Assert.Equal("dingC", e.CorpId);
        Assert.Equal("e1", e.EventId);
        Assert.Equal("1717000000001", e.TimeStamp);
        Assert.NotNull(e.Extra);
        Assert.Equal(2, e.Extra.Count);
        Assert.True(e.TryGetMember("changes", out var changes));
        Assert.Equal("新名字", changes.GetProperty("name").GetString());
        Assert.True(e.TryGetMember("count", out var count));
        Assert.Equal(3, count.GetInt32());
        Assert.False(e.TryGetMember("missing", out _));
    }

    [Fact]
    public void Unknown_members_are_ignored_and_missing_ones_are_null()
    {
        var e = EventJson.Parse<BpmsInstanceChange>(
            """{"EventType":"bpms_instance_change","futureField":{"deep":[1,{"x":null}]},"anotherOne":[true,false],"processInstanceId":"p1","x":1.5e300}""");

        Assert.Equal("p1", e.ProcessInstanceId);
        Assert.Null(e.Title);
        Assert.Null(e.CreateTime);
        Assert.Null(e.Url);
    }

    [Fact]
    public void Records_round_trip_through_the_catalogue_context()
    {
        var original = new BpmsTaskChange { EventType = "bpms_task_change", TaskId = 71234567890, StaffId = "0214382847291053", TimeStamp = "1717034512345" };
        var info = EventJson.Options.TryGetTypeInfo<BpmsTaskChange>()!;

        var json = System.Text.Json.JsonSerializer.Serialize(original, info);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, info);

        Assert.Equal(original, back);
        Assert.DoesNotContain("IsAgreed", json, StringComparison.Ordinal);
        Assert.Contains("\"eventId\":null", json, StringComparison.Ordinal);
    }
}
