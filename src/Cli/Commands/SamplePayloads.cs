using System.Globalization;

namespace DingGen.Cli.Commands;

/// <summary>
/// Realistic plaintext events for <c>dinggen simulate</c>, modelled field for field on the samples of DingTalk's documentation
/// (the event catalogue, <c>spec/dingtalk-events.md</c> section 8) with fake ids. Time stamps are the current time.
/// </summary>
internal static class SamplePayloads
{
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Instance = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";
    private const string ProcessCode = "PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D";

    /// <summary>The sample of <paramref name="eventType"/>, or <c>{"EventType":"…"}</c> for a tag without one.</summary>
    public static string For(string eventType, DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return eventType switch
        {
            "check_url" => """{"EventType":"check_url"}""",
            "user_add_org" or "user_leave_org" or "user_active_org" or "org_admin_add" or "org_admin_remove" =>
                $$"""{"EventType":"{{eventType}}","TimeStamp":"{{ms}}","UserId":["0214382847291053"],"CorpId":"{{CorpId}}"}""",
            "user_modify_org" =>
                $$"""{"EventType":"user_modify_org","EventTime":{{ms}},"CorpId":"{{CorpId}}","BizId":"{{ms}}","timeStamp":"{{ms}}","diffInfo":{"prev":{"name":"张三","workPlace":"杭州"},"curr":{"name":"张三丰","workPlace":"北京"},"userid":"manager7791"},"userId":["manager7791"]}""",
            "org_dept_create" or "org_dept_modify" or "org_dept_remove" =>
                $$"""{"EventType":"{{eventType}}","TimeStamp":"{{ms}}","DeptId":[612345678],"CorpId":"{{CorpId}}"}""",
            "bpms_instance_change" =>
                $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{Instance}}","finishTime":{{ms}},"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","url":"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid={{CorpId}}&dd_share=false","result":"agree","createTime":1717035000000,"staffId":"0214382847291053","processCode":"{{ProcessCode}}","bizCategoryId":"","businessId":"202406011030000123456"}""",
            "bpms_task_change" =>
                $$"""{"EventType":"bpms_task_change","processInstanceId":"{{Instance}}","finishTime":{{ms}},"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","createTime":1717035000000,"staffId":"manager7791","processCode":"{{ProcessCode}}","bizCategoryId":"","taskId":71234567890}""",
            "chat_add_member" =>
                $$"""{"Operator":"manager7791","OpenConversationId":"cidQ3kS9vLm2pX7rT1wYz8A==","CorpId":"{{CorpId}}","EventType":"chat_add_member","UserId":["0214382847291053"],"TimeStamp":{{ms}},"ChatId":"chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"}""",
            "chat_update_title" =>
                $$"""{"EventType":"chat_update_title","EventTime":{{ms}},"CorpId":"{{CorpId}}","BizId":"{{ms}}","timeStamp":{{ms}},"chatId":"chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b","corpId":"{{CorpId}}","title":"项目协作群（新）","openConversationId":"cidQ3kS9vLm2pX7rT1wYz8A==","operator":"manager7791"}""",
            "attendance_check_record" =>
                $$"""{"DataList":[{"address":"浙江省杭州市余杭区文一西路969号","checkTime":{{ms}},"corpId":"{{CorpId}}","groupId":"612345001","latitude":30.2852308,"bizId":"FF62A19C7E","locationMethod":"MAP","userId":"0214382847291053","longitude":120.0171351,"locationResult":"Normal","checkByUser":true}],"EventType":"attendance_check_record"}""",
            _ => Minimal(eventType),
        };
    }

    private static string Minimal(string eventType)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("EventType"u8, eventType);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
