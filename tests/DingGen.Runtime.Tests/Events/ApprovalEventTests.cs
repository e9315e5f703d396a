using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class ApprovalEventTests
{
    private const string Corp = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Url = "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3&dd_share=false";

    [Fact]
    public void Instance_start_has_no_result_and_no_finish_time()
    {
        var e = EventJson.Parse<BpmsInstanceChange>(
            """{"EventType":"bpms_instance_change","processInstanceId":"b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d","corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"0214382847291053","url":"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3&dd_share=false","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","bizCategoryId":"","businessId":"202406011030000123456"}""");

        Assert.Equal(DingEventTypes.BpmsInstanceChange, e.EventType);
        Assert.Equal("b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d", e.ProcessInstanceId);
        Assert.Equal(Corp, e.CorpId);
        Assert.Equal(1717035000000L, e.CreateTime);
        Assert.Null(e.FinishTime);
        Assert.Equal("李四提交的请假", e.Title);
        Assert.Equal("start", e.Type);
        Assert.True(e.IsStart);
        Assert.False(e.IsFinish);
        Assert.Null(e.Result);
        Assert.False(e.IsAgreed);
        Assert.False(e.IsRefused);
        Assert.Equal("0214382847291053", e.StaffId);
        Assert.Equal(Url, e.Url);
        Assert.Equal("PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D", e.ProcessCode);
        Assert.Equal(string.Empty, e.BizCategoryId);
        Assert.Equal("202406011030000123456", e.BusinessId);
        Assert.Null(e.BusinessType);
        Assert.Null(e.EventId);
    }

    [Fact]
    public void Instance_finish_agree()
    {
        var e = EventJson.Parse<BpmsInstanceChange>(
            """{"EventType":"bpms_instance_change","processInstanceId":"b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d","finishTime":1717038600000,"corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","title":"李四提交的请假","type":"finish","url":"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3&dd_share=false","result":"agree","createTime":1717035000000,"staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","bizCategoryId":"","businessId":"202406011030000123456"}""");

        Assert.Equal("finish", e.Type);
        Assert.Equal("agree", e.Result);
        Assert.True(e.IsFinish);
        Assert.True(e.IsAgreed);
        Assert.False(e.IsRefused);
        Assert.False(e.IsTerminated);
        Assert.Equal(1717038600000L, e.FinishTime);
        Assert.Equal(1717035000000L, e.CreateTime);
    }

    [Fact]
    public void Instance_terminate_has_no_result()
    {
        var e = EventJson.Parse<BpmsInstanceChange>(
            """{"EventType":"bpms_instance_change","processInstanceId":"6c5b4a39-2817-4f60-9e8d-7c6b5a493827","finishTime":1719811000000,"corpId":"ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","title":"赵六提交的采购申请","type":"terminate","createTime":1719810500000,"staffId":"0437261958473620","processCode":"PROC-9E8D7C6B-5A49-4382-A716-0F1E2D3C4B5A"}""");

        Assert.True(e.IsTerminated);
        Assert.False(e.IsDeleted);
        Assert.Null(e.Result);
        Assert.Null(e.Url);
        Assert.Null(e.BusinessId);
        Assert.Null(e.BizCategoryId);
        Assert.Equal("0437261958473620", e.StaffId);
        Assert.Equal("ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d", e.CorpId);
    }

    [Fact]
    public void Instance_console_dialect_reads_the_envelope_instead_of_corp_id()
    {
        var e = EventJson.Parse<BpmsInstanceChange>(
            """{"EventType":"bpms_instance_change","EventTime":1717038600123,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717038600123","eventId":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","processInstanceId":"b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d","finishTime":1717038600000,"title":"李四提交的请假","type":"finish","result":"refuse","createTime":1717035000000,"staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","businessType":"leave"}""");

        Assert.Equal(Corp, e.CorpId);
        Assert.Equal(1717038600123L, e.EventTime);
        Assert.Equal("1717038600123", e.BizId);
        Assert.Equal("0a1b2c3d4e5f60718293a4b5c6d7e8f9", e.EventId);
        Assert.True(e.IsRefused);
        Assert.Equal("leave", e.BusinessType);
    }

    [Fact]
    public void Task_start_reads_the_task_id_as_int64()
    {
        var e = EventJson.Parse<BpmsTaskChange>(
            """{"EventType":"bpms_task_change","processInstanceId":"b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d","corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"manager7791","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","bizCategoryId":"","businessId":"202406011030000123456","taskId":71234567890}""");

        Assert.Equal(DingEventTypes.BpmsTaskChange, e.EventType);
        Assert.Equal(71234567890L, e.TaskId);
        Assert.Equal("manager7791", e.StaffId);
        Assert.True(e.IsStart);
        Assert.Null(e.Remark);
        Assert.Null(e.Result);
        Assert.Equal("202406011030000123456", e.BusinessId);
    }

    [Fact]
    public void Task_finish_refuse_carries_the_remark()
    {
        var e = EventJson.Parse<BpmsTaskChange>(
            """{"EventType":"bpms_task_change","processInstanceId":"b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d","finishTime":1717036200000,"corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","title":"李四提交的请假","type":"finish","result":"refuse","remark":"请补充说明","createTime":1717035000000,"staffId":"manager7791","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","bizCategoryId":"","taskId":71234567890}""");

        Assert.True(e.IsFinish);
        Assert.True(e.IsRefused);
        Assert.False(e.IsRedirected);
        Assert.Equal("请补充说明", e.Remark);
        Assert.Equal(1717036200000L, e.FinishTime);
        Assert.Equal(71234567890L, e.TaskId);
        Assert.Null(e.BusinessId);
    }

    [Fact]
    public void Task_transfer_is_a_finish_with_result_redirect()
    {
        var e = EventJson.Parse<BpmsTaskChange>(
            """{"EventType":"bpms_task_change","processInstanceId":"6c5b4a39-2817-4f60-9e8d-7c6b5a493827","finishTime":1719810800000,"corpId":"ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","title":"赵六提交的采购申请","type":"finish","result":"redirect","createTime":1719810500000,"staffId":"ops_lead_05","processCode":"PROC-9E8D7C6B-5A49-4382-A716-0F1E2D3C4B5A","taskId":90012345678}""");

        Assert.True(e.IsRedirected);
        Assert.False(e.IsAgreed);
        Assert.False(e.IsCancelled);
        Assert.Equal(90012345678L, e.TaskId);
        Assert.Equal("ops_lead_05", e.StaffId);
    }

    [Fact]
    public void Numbers_are_read_from_strings_and_ids_from_numbers()
    {
        var e = EventJson.Parse<BpmsTaskChange>(
            """{"EventType":"bpms_task_change","taskId":"71234567890","createTime":"1717035000000","EventTime":"1717035000001","staffId":214382847291053,"businessId":202406011030000123456,"type":"cancel"}""");

        Assert.Equal(71234567890L, e.TaskId);
        Assert.Equal(1717035000000L, e.CreateTime);
        Assert.Equal(1717035000001L, e.EventTime);
        Assert.Equal("214382847291053", e.StaffId);
        Assert.Equal("202406011030000123456", e.BusinessId);
        Assert.True(e.IsCancelled);
    }

    [Fact]
    public void Shared_base_record_decodes_both_approval_events()
    {
        var e = EventJson.Parse<DingBpmsEvent>("""{"EventType":"bpms_task_change","processInstanceId":"p1","type":"finish","result":"agree","taskId":1}""");

        Assert.Equal("p1", e.ProcessInstanceId);
        Assert.True(e.IsAgreed);
    }
}
