using System.Net;
using DingGen;
using DingGen.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ApprovalHost;

/// <summary>
/// <c>--simulate</c>: fires a realistic sequence of encrypted, signed callbacks at this host over HTTP, exactly as
/// DingTalk would, prints one line per delivery and a summary, and returns 0 only when every reply is what DingTalk
/// expects. Needs nothing beyond loopback.
/// </summary>
internal static class Simulation
{
    private const string CallbackPath = "/dingtalk/callback";
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Instance = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";

    private static readonly Delivery[] Script =
    [
        new("check_url", """{"EventType":"check_url"}"""),
        new("bpms_instance_change", $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","bizCategoryId":"","businessId":"202406011030000123456"}"""),
        new("bpms_task_change", $$"""{"EventType":"bpms_task_change","processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"manager7791","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","taskId":71234567890}"""),
        new("bpms_task_change", $$"""{"EventType":"bpms_task_change","processInstanceId":"{{Instance}}","finishTime":1717036200000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","createTime":1717035000000,"staffId":"manager7791","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D","taskId":71234567890}"""),
        new("bpms_instance_change", $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{Instance}}","finishTime":1717038600000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","createTime":1717035000000,"staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D"}"""),
        new("bpms_instance_change (redelivered)", $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{Instance}}","finishTime":1717038600000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","createTime":1717035000000,"staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D"}"""),
        new("user_add_org", $$"""{"EventType":"user_add_org","EventTime":1717034599111,"CorpId":"{{CorpId}}","BizId":"1717034599111","eventId":"4be1c0f7a2d94e6b8f3a9c2d1e0f7a6b","timeStamp":"1717034599000","userId":["0214382847291053"]}"""),
        new("user_leave_org", $$"""{"EventType":"user_leave_org","TimeStamp":"1719810100654","UserId":["0437261958473620"],"CorpId":"{{CorpId}}"}"""),
        new("org_dept_create", $$"""{"EventType":"org_dept_create","EventTime":1717034701300,"CorpId":"{{CorpId}}","BizId":"1717034701300","eventId":"2c3d4e5f60718293a4b5c6d7e8f90a1b","deptId":[612345678]}"""),
        new("org_dept_modify", $$"""{"EventType":"org_dept_modify","TimeStamp":"1717034801234","DeptId":["612345678"],"CorpId":"{{CorpId}}"}"""),
        new("org_dept_remove", $$"""{"EventType":"org_dept_remove","TimeStamp":"1717034901234","DeptId":[612345678],"CorpId":"{{CorpId}}"}"""),
        new("calendar_event_change (no handler)", $$"""{"EventType":"calendar_event_change","EventTime":1717035001234,"CorpId":"{{CorpId}}","eventId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}"""),
        new("user_add_org (bad signature)", """{"EventType":"user_add_org","TimeStamp":"1717035101234","UserId":["forged"],"CorpId":"ding0000"}""", TamperSignature: true),
    ];

    public static async Task<int> RunAsync(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var options = app.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName);
        var simulator = new DingTalkSimulator(options.Token!, options.AesKey!, options.OwnerKey ?? options.AppKey!);
        var journal = app.Services.GetRequiredService<ActivityJournal>();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        Console.WriteLine($"DingGen approval host listening on {address}{CallbackPath}; simulating DingTalk (owner key {simulator.OwnerKey}).");
        Console.WriteLine($"Handled event types (register these with DingTalk): {string.Join(", ", DingEventTags.All)}");
        Console.WriteLine();

        var asExpected = 0;
        for (var i = 0; i < Script.Length; i++)
        {
            var delivery = Script[i];
            var before = journal.Count;
            var callback = simulator.CreateCallback(delivery.PayloadJson);
            if (delivery.TamperSignature)
            {
                callback = callback with { Signature = Tamper(callback.Signature) };
            }

            var result = await simulator.SendAsync(client, simulator.CreateRequest(CallbackPath, callback));
            var expected = delivery.TamperSignature
                ? result.StatusCode == HttpStatusCode.Unauthorized && !result.IsSuccessReply
                : result.StatusCode == HttpStatusCode.OK && result.IsSuccessReply;
            asExpected += expected ? 1 : 0;

            var reply = result.IsSuccessReply ? "encrypted success" : $"errcode {result.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
            var did = journal.Since(before);
            var what = did.Count > 0 ? string.Join("; ", did) : delivery.EventName.StartsWith("check_", StringComparison.Ordinal) ? "URL check answered by the endpoint" : "no handler ran";
            Console.WriteLine($"[{i + 1,2}] {delivery.EventName,-36} -> {(int)result.StatusCode} {reply,-17} {(expected ? "ok  " : "FAIL")} | {what}");
        }

        var orders = app.Services.GetRequiredService<IWorkOrderStore>().All;
        Console.WriteLine();
        Console.WriteLine($"{Script.Length} deliveries, {asExpected} answered as DingTalk expects; {orders.Count} work order(s) open: {string.Join(", ", orders.Select(o => $"{o.Number} ({o.Title})"))}");
        return asExpected == Script.Length ? 0 : 1;
    }

    private static string Tamper(string signature) => (signature[0] == '0' ? "1" : "0") + signature[1..];

    private sealed record Delivery(string EventName, string PayloadJson, bool TamperSignature = false);
}
