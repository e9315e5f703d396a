using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class ProcessInstanceTests
{
    private const string Instance = """
        {
          "title": "张三提交的请假",
          "create_time": "2026-11-27 09:30:00",
          "finish_time": "2026-11-27 10:05:12",
          "originator_userid": "manager7",
          "originator_dept_id": "-1",
          "originator_dept_name": "研发部",
          "status": "COMPLETED",
          "result": "agree",
          "business_id": "202611270930000123",
          "biz_action": "NONE",
          "cc_userids": ["cc1", "cc2"],
          "form_component_values": [
            {"name": "请假类型", "value": "年假", "id": "TextField-1", "component_type": "TextField"},
            {"name": "天数", "value": "2", "id": "NumberField-2", "component_type": "NumberField", "ext_value": ""},
            {"name": "明细", "value": "[{\"row\":1}]", "component_type": "TableField"},
            "not-an-object"
          ],
          "operation_records": [{"userid": "manager7", "date": "2026-11-27 09:30:00", "operation_type": "START_PROCESS_INSTANCE"}],
          "tasks": [
            {"taskid": 63210, "userid": "boss1", "task_status": "COMPLETED", "task_result": "AGREE", "create_time": "2026-11-27 09:30:01", "finish_time": "2026-11-27 10:05:12", "url": "https://aflow.dingtalk.com/x"},
            {"userid": "boss2", "task_status": "CANCELED", "task_result": "NONE", "create_time": 1795742401000}
          ]
        }
        """;

    [Fact(Timeout = 30_000)]
    public async Task Useful_fields_are_parsed_with_DingTalk_times_in_China_Standard_Time()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.AddProcessInstance("pi-42", Instance);

        var instance = await f.Client.GetProcessInstanceAsync("pi-42");

        Assert.Equal("pi-42", instance.ProcessInstanceId);
        Assert.Equal("张三提交的请假", instance.Title);
        Assert.Equal(("COMPLETED", "agree"), (instance.Status, instance.Result));
        Assert.Equal("manager7", instance.OriginatorUserId);
        Assert.Equal(("-1", "研发部"), (instance.OriginatorDeptId, instance.OriginatorDeptName));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.FromHours(8)), instance.CreateTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 2, 5, 12, TimeSpan.Zero), instance.FinishTime);
        Assert.Equal("202611270930000123", instance.BusinessId);
        Assert.Equal("NONE", instance.BizAction);
        Assert.Equal(["cc1", "cc2"], instance.CcUserIds);
        Assert.Equal(3, instance.FormComponentValues.Count);
        Assert.Equal(new DingFormComponentValue("天数", "2", "NumberField-2", "NumberField", ""), instance.FormComponentValues[1]);
        Assert.Equal("年假", instance.GetFormValue("请假类型"));
        Assert.Equal("[{\"row\":1}]", instance.GetFormValue("明细"));
        Assert.Null(instance.GetFormValue("missing"));
        Assert.Equal(2, instance.Tasks.Count);
        Assert.Equal(new DingProcessTask("63210", "boss1", "COMPLETED", "AGREE", new DateTimeOffset(2026, 11, 27, 9, 30, 1, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 11, 27, 10, 5, 12, TimeSpan.FromHours(8))), instance.Tasks[0]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795742401000), instance.Tasks[1].CreateTime);
        Assert.Null(instance.Tasks[1].FinishTime);
        Assert.Contains("operation_records", instance.RawJson, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_running_instance_with_missing_fields_parses_to_nulls()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.AddProcessInstance("pi-1", """{"title":"t","status":"RUNNING","result":"","finish_time":null,"tasks":"oops"}""");

        var instance = await f.Client.GetProcessInstanceAsync("pi-1");

        Assert.Equal("RUNNING", instance.Status);
        Assert.Equal(string.Empty, instance.Result);
        Assert.Null(instance.FinishTime);
        Assert.Null(instance.CreateTime);
        Assert.Null(instance.OriginatorUserId);
        Assert.Empty(instance.Tasks);
        Assert.Empty(instance.FormComponentValues);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_instance_is_a_typed_error()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.GetProcessInstanceAsync("missing"));

        Assert.Equal(Testing.FakeDingTalkServer.ProcessInstanceNotFoundCode, ex.ErrorCode);
        Assert.Equal(DingTalkClient.GetProcessInstancePath, ex.Api);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_request_sends_the_id_as_process_instance_id_in_a_json_body()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.AddProcessInstance("id with \"quotes\" / 汉字", """{"title":"ok"}""");

        var instance = await f.Client.GetProcessInstanceAsync("id with \"quotes\" / 汉字");

        Assert.Equal("ok", instance.Title);
    }
}
