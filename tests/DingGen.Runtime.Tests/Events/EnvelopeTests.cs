using System.Text;

namespace DingGen.Runtime.Tests.Events;

public sealed class EnvelopeTests
{
    [Fact]
    public void Legacy_payload_has_event_type_and_corp_id_but_no_ids()
    {
        var json = """{"EventType":"user_add_org","TimeStamp":"1717034512345","UserId":["0214382847291053","manager7791"],"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3"}"""u8;

        Assert.True(DingEnvelope.TryRead(json, out var envelope, out var error));
        Assert.Null(error);
        Assert.Equal("user_add_org", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Equal("ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3", envelope.CorpId);
        Assert.Null(envelope.EventId);
        Assert.Null(envelope.BizId);
        Assert.Null(envelope.StableId);
    }

    [Fact]
    public void Console_payload_has_event_id_and_biz_id()
    {
        var json = """{"EventType":"user_modify_org","EventTime":1717034655002,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717034655002","eventId":"9d2e7b1c6a5f4e3d8c7b6a5f4e3d2c1b","timeStamp":"1717034655000","diffInfo":{"prev":{"name":"张三"},"curr":{"name":"张三丰"},"userid":"manager7791"},"userId":["manager7791"]}"""u8;

        Assert.True(DingEnvelope.TryRead(json, out var envelope, out _));
        Assert.Equal("user_modify_org", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Equal("9d2e7b1c6a5f4e3d8c7b6a5f4e3d2c1b", envelope.EventId);
        Assert.Equal("1717034655002", envelope.BizId);
        Assert.Equal("9d2e7b1c6a5f4e3d8c7b6a5f4e3d2c1b", envelope.StableId);
    }

    [Fact]
    public void Member_names_are_matched_case_insensitively_and_numbers_read_as_text()
    {
        var json = """{"eventtype":"org_dept_create","EVENTID":"E1","bizid":1717034701300,"corpid":"dingC","deptId":[612345678]}"""u8;

        Assert.True(DingEnvelope.TryRead(json, out var envelope, out _));
        Assert.Equal("org_dept_create", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Equal("E1", envelope.EventId);
        Assert.Equal("1717034701300", envelope.BizId);
        Assert.Equal("dingC", envelope.CorpId);
    }

    [Fact]
    public void Chat_payload_with_CorpId_and_corpId_reads_the_later_one()
    {
        var json = """{"EventType":"chat_update_title","CorpId":"dingFirst","BizId":"1717036600456","eventId":"a1b2","corpId":"dingSecond","title":"t"}"""u8;

        Assert.True(DingEnvelope.TryRead(json, out var envelope, out _));
        Assert.Equal("chat_update_title", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Equal("dingSecond", envelope.CorpId);
        Assert.Equal("a1b2", envelope.EventId);
    }

    [Fact]
    public void Nested_members_are_not_taken_for_the_envelope()
    {
        var json = """{"DataList":[{"corpId":"dingNested","bizId":"FF62A19C7E","EventType":"nested"}],"EventType":"attendance_check_record"}"""u8;

        Assert.True(DingEnvelope.TryRead(json, out var envelope, out _));
        Assert.Equal("attendance_check_record", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Null(envelope.CorpId);
        Assert.Null(envelope.BizId);
    }

    [Fact]
    public void Stream_data_has_no_event_type()
    {
        Assert.True(DingEnvelope.TryRead("""{"timeStamp":"1717034599000","userId":["0214382847291053"]}"""u8, out var envelope, out _));
        Assert.True(envelope.EventTypeUtf8.IsEmpty);
    }

    [Fact]
    public void Escaped_event_type_is_unescaped()
    {
        Assert.True(DingEnvelope.TryRead("""{"Event\u0054ype":"check\u005furl"}"""u8, out var envelope, out _));
        Assert.Equal("check_url", Encoding.UTF8.GetString(envelope.EventTypeUtf8));
    }

    [Theory]
    [InlineData("""{"EventType":"user_add_org",""")]
    [InlineData("""{"EventType":"user_add_org"} trailing""")]
    [InlineData("""{"EventType":user_add_org}""")]
    [InlineData("""[{"EventType":"user_add_org"}]""")]
    [InlineData("success")]
    [InlineData("")]
    public void Malformed_json_is_rejected_with_an_error(string text)
    {
        Assert.False(DingEnvelope.TryRead(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.DoesNotContain("user_add_org", error, StringComparison.Ordinal);
    }
}
