using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class ContactEventTests
{
    private const string Corp = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";

    [Fact]
    public void User_add_org_legacy_keeps_user_ids_with_leading_zeros_and_the_string_time_stamp()
    {
        var e = EventJson.Parse<UserAddOrg>(
            """{"EventType":"user_add_org","TimeStamp":"1717034512345","UserId":["0214382847291053","manager7791"],"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3"}""");

        Assert.Equal(DingEventTypes.UserAddOrg, e.EventType);
        Assert.Equal(["0214382847291053", "manager7791"], e.UserId);
        Assert.Equal("1717034512345", e.TimeStamp);
        Assert.Equal(1717034512345L, e.TimeStampMilliseconds);
        Assert.Equal(Corp, e.CorpId);
        Assert.Null(e.EventTime);
        Assert.Null(e.BizId);
        Assert.Null(e.EventId);
        Assert.Null(e.OptStaffId);
    }

    [Fact]
    public void User_add_org_console_reads_the_envelope_and_camel_case_body()
    {
        var e = EventJson.Parse<UserAddOrg>(
            """{"EventType":"user_add_org","EventTime":1717034599111,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717034599111","eventId":"4be1c0f7a2d94e6b8f3a9c2d1e0f7a6b","timeStamp":"1717034599000","userId":["0214382847291053"]}""");

        Assert.Equal("user_add_org", e.EventType);
        Assert.Equal(1717034599111L, e.EventTime);
        Assert.Equal(Corp, e.CorpId);
        Assert.Equal("1717034599111", e.BizId);
        Assert.Equal("4be1c0f7a2d94e6b8f3a9c2d1e0f7a6b", e.EventId);
        Assert.Equal("1717034599000", e.TimeStamp);
        Assert.Equal(["0214382847291053"], e.UserId);
    }

    [Fact]
    public void User_add_org_console_as_captured_reads_the_operator()
    {
        var e = EventJson.Parse<UserAddOrg>(
            """{"CorpId":"dingzq4bkl7mxn0ofa2c","EventType":"user_add_org","UserId":["0437261958473620"],"OptStaffId":"ops_lead_05","TimeStamp":"1719810000321"}""");

        Assert.Equal("dingzq4bkl7mxn0ofa2c", e.CorpId);
        Assert.Equal(["0437261958473620"], e.UserId);
        Assert.Equal("ops_lead_05", e.OptStaffId);
        Assert.Equal("1719810000321", e.TimeStamp);
    }

    [Fact]
    public void User_add_org_stream_data_has_no_envelope()
    {
        var e = EventJson.Parse<UserAddOrg>("""{"timeStamp":"1717034599000","userId":["0214382847291053"]}""");

        Assert.Null(e.EventType);
        Assert.Null(e.CorpId);
        Assert.Equal("1717034599000", e.TimeStamp);
        Assert.Equal(["0214382847291053"], e.UserId);
    }

    [Fact]
    public void User_add_org_from_the_failed_event_list_item_reads_lower_case_members()
    {
        // §8.11: the old failed-event API nests the payload under its tag with lower-case names.
        const string item = """{"call_back_tag":"user_add_org","event_time":1717034512000,"user_add_org":{"corpid":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","userid":["0214382847291053"]}}""";
        using var doc = System.Text.Json.JsonDocument.Parse(item);
        var inner = doc.RootElement.GetProperty(doc.RootElement.GetProperty("call_back_tag").GetString()!).GetRawText();

        var e = EventJson.Parse<UserAddOrg>(inner);

        Assert.Equal(Corp, e.CorpId);
        Assert.Equal(["0214382847291053"], e.UserId);
    }

    [Fact]
    public void User_ids_sent_as_numbers_keep_their_exact_digits()
    {
        var e = EventJson.Parse<UserAddOrg>("""{"UserId":[202844352662984130,"0214382847291053",123456789012345678901234567890]}""");

        Assert.Equal(["202844352662984130", "0214382847291053", "123456789012345678901234567890"], e.UserId);
    }

    [Fact]
    public void User_leave_org_legacy()
    {
        var e = EventJson.Parse<UserLeaveOrg>(
            """{"EventType":"user_leave_org","TimeStamp":"1719810100654","UserId":["0437261958473620"],"CorpId":"ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"}""");

        Assert.Equal("user_leave_org", e.EventType);
        Assert.Equal(["0437261958473620"], e.UserId);
        Assert.Equal("ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d", e.CorpId);
        Assert.Equal("1719810100654", e.TimeStamp);
    }

    [Fact]
    public void User_modify_org_console_reads_diff_info()
    {
        var e = EventJson.Parse<UserModifyOrg>(
            """{"EventType":"user_modify_org","EventTime":1717034655002,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717034655002","eventId":"9d2e7b1c6a5f4e3d8c7b6a5f4e3d2c1b","timeStamp":"1717034655000","diffInfo":{"prev":{"name":"张三","jobNumber":"A1024","workPlace":"杭州"},"curr":{"name":"张三丰","jobNumber":"A1024","workPlace":"北京"},"userid":"manager7791"},"userId":["manager7791"]}""");

        Assert.Equal("9d2e7b1c6a5f4e3d8c7b6a5f4e3d2c1b", e.EventId);
        Assert.Equal(1717034655002L, e.EventTime);
        Assert.Equal(["manager7791"], e.UserId);
        Assert.NotNull(e.DiffInfo);
        Assert.Equal("manager7791", e.DiffInfo.UserId);
        Assert.Equal("张三", e.DiffInfo.Prev?.Name);
        Assert.Equal("杭州", e.DiffInfo.Prev?.WorkPlace);
        Assert.Equal("张三丰", e.DiffInfo.Curr?.Name);
        Assert.Equal("A1024", e.DiffInfo.Curr?.JobNumber);
        Assert.Equal("北京", e.DiffInfo.Curr?.WorkPlace);
        Assert.Null(e.DiffInfo.Curr?.Email);
        Assert.Null(e.DiffInfo.Curr?.ManagerUserId);
    }

    [Fact]
    public void User_modify_org_legacy_has_no_diff_info()
    {
        var e = EventJson.Parse<UserModifyOrg>("""{"EventType":"user_modify_org","TimeStamp":"1717034655000","UserId":["manager7791"],"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3"}""");

        Assert.Null(e.DiffInfo);
        Assert.Equal(["manager7791"], e.UserId);
    }

    [Fact]
    public void Shared_base_record_decodes_any_user_change_event()
    {
        var e = EventJson.Parse<DingUserChangeEvent>("""{"EventType":"org_admin_add","UserId":["0214382847291053"]}""");

        Assert.Equal("org_admin_add", e.EventType);
        Assert.Equal(["0214382847291053"], e.UserId);
    }

    [Fact]
    public void Org_dept_create_legacy_reads_numeric_dept_ids()
    {
        var e = EventJson.Parse<OrgDeptCreate>(
            """{"EventType":"org_dept_create","TimeStamp":"1717034701234","DeptId":[612345678],"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3"}""");

        Assert.Equal([612345678L], e.DeptId);
        Assert.Equal("1717034701234", e.TimeStamp);
        Assert.Equal(Corp, e.CorpId);
    }

    [Fact]
    public void Org_dept_create_legacy_reads_string_dept_ids_as_numbers()
    {
        var e = EventJson.Parse<OrgDeptCreate>("""{"EventType":"org_dept_create","TimeStamp":"1717034701234","DeptId":["432825033"],"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3"}""");

        Assert.Equal([432825033L], e.DeptId);
    }

    [Fact]
    public void Org_dept_create_console_reads_camel_case_dept_ids()
    {
        var e = EventJson.Parse<OrgDeptCreate>(
            """{"EventType":"org_dept_create","EventTime":1717034701300,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717034701300","eventId":"2c3d4e5f60718293a4b5c6d7e8f90a1b","deptId":[612345678]}""");

        Assert.Equal([612345678L], e.DeptId);
        Assert.Equal(1717034701300L, e.EventTime);
        Assert.Equal("1717034701300", e.BizId);
        Assert.Equal("2c3d4e5f60718293a4b5c6d7e8f90a1b", e.EventId);
        Assert.Null(e.TimeStamp);
    }

    [Fact]
    public void Dept_ids_that_are_not_integers_are_rejected()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => EventJson.Parse<OrgDeptRemove>("""{"DeptId":["abc"]}"""));
        Assert.Throws<System.Text.Json.JsonException>(() => EventJson.Parse<OrgDeptRemove>("""{"DeptId":[{"id":1}]}"""));
    }

    [Fact]
    public void Org_remove_and_org_change_carry_the_envelope_only()
    {
        var remove = EventJson.Parse<OrgRemove>("""{"EventType":"org_remove","CorpId":"dingx","TimeStamp":1717034701234,"somethingNew":{"a":[1,2]}}""");
        var change = EventJson.Parse<OrgChange>("""{"EventType":"org_change","CorpId":"dingx"}""");

        Assert.Equal("1717034701234", remove.TimeStamp);
        Assert.Equal("dingx", remove.CorpId);
        Assert.Equal("org_change", change.EventType);
    }

    [Fact]
    public void Label_user_change_reads_ids_and_action()
    {
        var e = EventJson.Parse<LabelUserChange>(
            """{"EventType":"label_user_change","EventTime":1717037200000,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717037200000","eventId":"f0e1d2c3b4a5968778695a4b3c2d1e0f","userIdList":["manager7791"],"action":"add","labelIdList":[1881234567]}""");

        Assert.Equal(["manager7791"], e.UserIdList);
        Assert.Equal("add", e.Action);
        Assert.True(e.IsAdd);
        Assert.False(e.IsRemove);
        Assert.Equal([1881234567L], e.LabelIdList);
    }

    [Fact]
    public void Label_conf_modify_keeps_label_lists_as_json_text()
    {
        var e = EventJson.Parse<LabelConfModify>(
            """{"EventType":"label_conf_modify","scope":"label","labelIdList":["1881234567"],"preLabelList":["{\"id\":1881234567,\"name\":\"财务\"}"],"postLabelList":[{"id":1881234567,"name":"财务部"}]}""");

        Assert.Equal("label", e.Scope);
        Assert.Equal([1881234567L], e.LabelIdList);
        Assert.Equal(["""{"id":1881234567,"name":"财务"}"""], e.PreLabelList);
        var post = Assert.Single(e.PostLabelList!);
        using var doc = System.Text.Json.JsonDocument.Parse(post);
        Assert.Equal("财务部", doc.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Label_conf_add_and_del_read_label_ids()
    {
        var add = EventJson.Parse<LabelConfAdd>("""{"EventType":"label_conf_add","scope":"group","labelIdList":[11,22]}""");
        var del = EventJson.Parse<LabelConfDel>("""{"EventType":"label_conf_del","labelIdList":[11]}""");

        Assert.Equal("group", add.Scope);
        Assert.Equal([11L, 22L], add.LabelIdList);
        Assert.Null(del.Scope);
        Assert.Equal([11L], del.LabelIdList);
    }
}
