using System.Text;
using System.Text.Json;
using DingGen.Events;
using DingGen.Testing;

namespace DingGen.Hosting.Tests.Recovery;

/// <summary>Each failed-list shape of spec 3.6 maps to the exact push payload the handlers decode.</summary>
public sealed class FailedEventAdapterTests
{
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeMilliseconds(1717034512000);

    public static TheoryData<string, string?, string, DingFailedEventShape> Shapes => new()
    {
        {
            "user_add_org",
            """{"corpid":"ding7c2f","userid":["0214382847291053","manager7791"]}""",
            """{"EventType":"user_add_org","UserId":["0214382847291053","manager7791"],"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.Contact
        },
        {
            "org_dept_create",
            """{"corpid":"ding7c2f","deptid":[612345678]}""",
            """{"EventType":"org_dept_create","DeptId":[612345678],"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.Contact
        },
        {
            "bpms_instance_change",
            """{"corpid":"ding7c2f","bpmsCallBackData":{"processInstanceId":"p-1","type":"finish","result":"agree","corpId":"ding7c2f","title":"请假"}}""",
            """{"EventType":"bpms_instance_change","processInstanceId":"p-1","type":"finish","result":"agree","corpId":"ding7c2f","title":"请假"}""",
            DingFailedEventShape.Approval
        },
        {
            "bpms_task_change",
            """{"corpid":"ding7c2f","bpmsCallBackData":{"processInstanceId":"p-1","taskId":71234567890,"type":"start"}}""",
            """{"EventType":"bpms_task_change","processInstanceId":"p-1","taskId":71234567890,"type":"start","CorpId":"ding7c2f"}""",
            DingFailedEventShape.Approval
        },
        {
            "label_conf_add",
            """{"corpid":"ding7c2f","roleLabelChange":{"scope":"corp","labelIdList":[1001,1002]}}""",
            """{"EventType":"label_conf_add","scope":"corp","labelIdList":[1001,1002],"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.RoleLabel
        },
        {
            "chat_update_title",
            """{"corpid":"ding7c2f","callbackData":{"chatId":"chat5e1f","title":"新群名","eventId":"e-77"}}""",
            """{"EventType":"chat_update_title","chatId":"chat5e1f","title":"新群名","eventId":"e-77","CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.CallbackData
        },
        {
            // callbackData sent as a JSON string holding the object.
            "attend_group_change",
            """{"corpid":"ding7c2f","callbackData":"{\"name\":\"早班\",\"action\":\"attend_group_delete\",\"id\":42}"}""",
            """{"EventType":"attend_group_change","name":"早班","action":"attend_group_delete","id":42,"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.CallbackData
        },
        {
            "org_change",
            """{"corpid":"ding7c2f"}""",
            """{"EventType":"org_change","CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.EnvelopeOnly
        },
        {
            "org_remove",
            null,
            """{"EventType":"org_remove","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.EnvelopeOnly
        },
        {
            "some_new_event",
            """{"corpid":"ding7c2f","weird":{"a":[1,2]},"flag":true}""",
            """{"EventType":"some_new_event","weird":{"a":[1,2]},"flag":true,"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.Unknown
        },
        {
            "user_modify_org",
            "{corpid=ding7c2f, userid=[0214382847291053, manager7791]}",
            """{"EventType":"user_modify_org","UserId":["0214382847291053","manager7791"],"CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.JavaMapString
        },
        {
            // The field report of spec 3.6: a Java-map string without user ids.
            "user_modify_org",
            "{corpid=ding7c2f}",
            """{"EventType":"user_modify_org","CorpId":"ding7c2f","TimeStamp":"1717034512000"}""",
            DingFailedEventShape.JavaMapString
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_documented_shape_maps_to_the_push_payload(string tag, string? data, string expected, DingFailedEventShape shape)
    {
        var entry = new DingFailedEvent(tag, EventTime, null, "{}", data);

        Assert.True(DingFailedEventAdapter.TryAdapt(entry, out var adapted, out var error), error);
        Assert.Equal(expected, Encoding.UTF8.GetString(adapted.Payload.Span));
        Assert.Equal(shape, adapted.Shape);
    }

    [Fact]
    public void The_entry_corp_id_is_used_when_the_data_has_none()
    {
        var entry = new DingFailedEvent("org_remove", EventTime, "dingfromentry", "{}", null);

        Assert.True(DingFailedEventAdapter.TryAdapt(entry, out var adapted, out _));
        Assert.Equal("""{"EventType":"org_remove","CorpId":"dingfromentry","TimeStamp":"1717034512000"}""", Encoding.UTF8.GetString(adapted.Payload.Span));
    }

    [Fact]
    public void Adapted_contact_and_approval_payloads_decode_into_the_catalogue_records()
    {
        var options = new DingJsonOptions([]);
        Assert.True(DingFailedEventAdapter.TryAdapt(new DingFailedEvent("user_add_org", EventTime, null, "{}", """{"corpid":"ding7c2f","userid":["0214382847291053"]}"""), out var contact, out _));
        var user = JsonSerializer.Deserialize(contact.Payload.Span, options.TryGetTypeInfo<UserAddOrg>()!)!;
        Assert.Equal(["0214382847291053"], user.UserId);
        Assert.Equal("ding7c2f", user.CorpId);
        Assert.Equal(1717034512000, user.TimeStampMilliseconds);

        Assert.True(DingFailedEventAdapter.TryAdapt(new DingFailedEvent("bpms_instance_change", EventTime, null, "{}", """{"corpid":"ding7c2f","bpmsCallBackData":{"processInstanceId":"p-1","type":"finish","result":"agree"}}"""), out var approval, out _));
        var instance = JsonSerializer.Deserialize(approval.Payload.Span, options.TryGetTypeInfo<BpmsInstanceChange>()!)!;
        Assert.Equal("p-1", instance.ProcessInstanceId);
        Assert.True(instance.IsFinish && instance.IsAgreed);
        Assert.Equal("ding7c2f", instance.CorpId);
    }

    [Theory]
    [InlineData("user_add_org", "not a map or an object")]
    [InlineData("user_add_org", "[1,2,3]")]
    [InlineData("user_add_org", "{corpid}")]
    [InlineData("check_url", """{"corpid":"ding7c2f"}""")]
    [InlineData("", """{"corpid":"ding7c2f"}""")]
    public void Unreadable_entries_are_refused_with_a_reason_that_does_not_quote_the_data(string tag, string data)
    {
        var entry = new DingFailedEvent(tag, EventTime, null, "{}", data);

        Assert.False(DingFailedEventAdapter.TryAdapt(entry, out var adapted, out var error));
        Assert.Null(adapted);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain(data, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user_leave_org", """{"EventType":"user_leave_org","TimeStamp":"1719810100654","UserId":["0437261958473620"],"CorpId":"ding5a6b"}""")]
    [InlineData("org_dept_remove", """{"EventType":"org_dept_remove","TimeStamp":"1717034901234","DeptId":[612345678],"CorpId":"ding7c2f"}""")]
    [InlineData("bpms_task_change", """{"EventType":"bpms_task_change","processInstanceId":"p-9","corpId":"ding7c2f","type":"finish","result":"refuse","remark":"请补充说明","taskId":90012345678}""")]
    [InlineData("chat_disband", """{"Operator":"ops_lead_05","ChatId":"chat1a2b","EventType":"chat_disband","TimeStamp":1719812000000,"CorpId":"ding5a6b"}""")]
    public void A_simulated_failed_delivery_round_trips_through_the_failed_list_shape(string tag, string payload)
    {
        // Testing's inverse builds the failed-list entry; the adapter must give back every member the handlers read.
        var entryJson = DingTalkFailedListEntry.Create(tag, payload, EventTime);
        using var entryDocument = JsonDocument.Parse(entryJson);
        var data = entryDocument.RootElement.GetProperty(tag).GetRawText();

        Assert.True(DingFailedEventAdapter.TryAdapt(new DingFailedEvent(tag, EventTime, null, entryJson, data), out var adapted, out var error), error);

        using var original = JsonDocument.Parse(payload);
        using var recovered = JsonDocument.Parse(adapted.Payload);
        foreach (var member in original.RootElement.EnumerateObject())
        {
            if (member.Name == "TimeStamp")
            {
                continue; // The failed list keeps event_time, not the payload's own time stamp.
            }

            Assert.True(recovered.RootElement.TryGetProperty(member.Name, out var value), $"{member.Name} is missing from {Encoding.UTF8.GetString(adapted.Payload.Span)}");
            Assert.Equal(member.Value.GetRawText(), value.GetRawText());
        }
    }
}
