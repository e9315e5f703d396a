using System.Net;
using DingGen;
using DingGen.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ApprovalHost;

/// <summary>
/// <c>--simulate</c>: starts a fake DingTalk server API on loopback and points the host's <see cref="DingTalkClient"/> at it,
/// registers the callback with the run-time union of handled tags (a real <c>check_url</c> handshake against this host,
/// encrypted with the CorpId as owner key), fires a realistic sequence of encrypted, signed callbacks at this host over
/// HTTP exactly as DingTalk would, lets one delivery fail through DingTalk's retries onto the failed list, and recovers it
/// (handled), then recovers again (skipped). Prints one line per step and returns 0 only when everything is what DingTalk
/// expects. Needs nothing beyond loopback.
/// </summary>
internal static class Simulation
{
    private const string CallbackPath = "/dingtalk/callback";
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Instance = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";
    private const string LateInstance = "6c5b4a39-2817-4f60-9e8d-7c6b5a493827";

    /// <summary>The failing delivery: an approval whose details cannot be read yet, so every attempt fails.</summary>
    private static readonly string LatePayload = $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{LateInstance}}","finishTime":1719811000000,"corpId":"{{CorpId}}","title":"赵六提交的采购申请","type":"finish","result":"agree","createTime":1719810500000,"staffId":"0437261958473620","processCode":"PROC-9E8D7C6B-5A49-4382-A716-0F1E2D3C4B5A"}""";

    /// <summary>The throw-away recovery store of this run, deleted at the end.</summary>
    private static string? _recoveryStorePath;

    /// <summary>
    /// Starts the fake DingTalk server with the app's dev credentials and points the host at it: <c>DingGen:OpenApi:BaseAddress</c>,
    /// <c>DingGen:OwnerKey</c> = the fake enterprise's CorpId (callbacks registered through the API are encrypted with it), and a
    /// throw-away recovery store.
    /// </summary>
    public static async Task<FakeDingTalkServer> StartFakeDingTalkAsync(ConfigurationManager configuration)
    {
        var server = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions
        {
            AppKey = configuration["DingGen:AppKey"] ?? throw new InvalidOperationException("DingGen:AppKey is missing from appsettings.Development.json."),
            AppSecret = configuration["DingGen:AppSecret"] ?? throw new InvalidOperationException("DingGen:AppSecret is missing from appsettings.Development.json."),
            CorpId = CorpId,
        });
        _recoveryStorePath = Path.Combine(Path.GetTempPath(), $"approvalhost-recovered-{Guid.NewGuid():N}.jsonl");
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:OpenApi:BaseAddress"] = server.BaseAddress.ToString(),
            ["DingGen:OpenApi:RetryBaseDelay"] = "00:00:00.010",
            ["DingGen:OwnerKey"] = CorpId,
            ["DingGen:Recovery:StorePath"] = _recoveryStorePath,

            // The failing delivery below logs a handler error per attempt; its summary line says what happened.
            ["Logging:LogLevel:DingGen"] = "Critical",
        });
        server.AddProcessInstance(Instance, ApprovalJson(Instance, "李四提交的请假", "0214382847291053"));
        return server;
    }

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

    public static async Task<int> RunAsync(WebApplication app, FakeDingTalkServer dingtalkServer)
    {
        try
        {
            return await RunCoreAsync(app, dingtalkServer);
        }
        finally
        {
            if (_recoveryStorePath is not null)
            {
                File.Delete(_recoveryStorePath);
            }
        }
    }

    private static async Task<int> RunCoreAsync(WebApplication app, FakeDingTalkServer dingtalkServer)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var options = app.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName);
        var simulator = new DingTalkSimulator(options.Token!, options.AesKey!, options.OwnerKey ?? options.AppKey!);
        var journal = app.Services.GetRequiredService<ActivityJournal>();
        using var httpClient = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        var client = app.Services.GetRequiredService<DingTalkClient>();
        var handled = app.Services.GetRequiredService<DingEventRouter>().HandledEventTypes;
        var callbackUrl = address.TrimEnd('/') + CallbackPath;

        Console.WriteLine($"DingGen approval host listening on {callbackUrl}; simulating DingTalk (owner key {simulator.OwnerKey}, fake server API at {dingtalkServer.BaseAddress}).");
        Console.WriteLine($"Handled event types: {string.Join(", ", handled)}");
        Console.WriteLine();

        // Registration that cannot drift: the registered tags are the handled ones, and DingTalk's check_url handshake
        // (CorpId as owner key) is answered by this host. A second sync finds nothing to change.
        var sync = await client.SyncCallbackAsync(callbackUrl, handled);
        Commands.PrintSync(sync, callbackUrl);
        var again = await client.SyncCallbackAsync(callbackUrl, handled);
        Commands.PrintSync(again, callbackUrl);
        var synced = sync.Action == DingCallbackSyncAction.Registered && again.Action == DingCallbackSyncAction.Unchanged
            && dingtalkServer.Registration?.Tags.SequenceEqual(handled, StringComparer.Ordinal) == true;
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

            var result = await simulator.SendAsync(httpClient, simulator.CreateRequest(CallbackPath, callback));
            var expected = delivery.TamperSignature
                ? result.StatusCode == HttpStatusCode.Unauthorized && !result.IsSuccessReply
                : result.StatusCode == HttpStatusCode.OK && result.IsSuccessReply;
            asExpected += expected ? 1 : 0;

            var reply = result.IsSuccessReply ? "encrypted success" : $"errcode {result.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
            var did = journal.Since(before);
            var what = did.Count > 0 ? string.Join("; ", did) : delivery.EventName.StartsWith("check_", StringComparison.Ordinal) ? "URL check answered by the endpoint" : "no handler ran";
            Console.WriteLine($"[{i + 1,2}] {delivery.EventName,-36} -> {(int)result.StatusCode} {reply,-17} {(expected ? "ok  " : "FAIL")} | {what}");
        }

        // A delivery that fails: DingTalk pushes the approval before its details can be read (processinstance/get answers
        // "审批实例不存在"), so the handler throws on every attempt; DingTalk retries (10 s, then 30 s; compressed here) and then
        // lists the event as failed. Once the approval can be read, the recovery handles it; a second recovery skips it.
        Console.WriteLine();
        var failing = new DingTalkSimulator(options.Token!, options.AesKey!, simulator.OwnerKey) { FailedEventSink = f => dingtalkServer.EnqueueFailedEventJson(f.ToFailedListEntryJson()) };
        var lateDelivery = await failing.DeliverAsync(httpClient, CallbackPath, LatePayload, new DingTalkDeliveryOptions
        {
            RetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30)],
            ResponseTimeout = TimeSpan.FromSeconds(10),
        });
        Console.WriteLine($"[{Script.Length + 1,2}] {"bpms_instance_change (not readable yet)",-36} -> {string.Join(", ", lateDelivery.Attempts.Select(a => a.StatusCode is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-"))} after DingTalk's retries -> {(lateDelivery.WentToFailedList ? "on DingTalk's failed list" : "delivered")}");

        dingtalkServer.AddProcessInstance(LateInstance, ApprovalJson(LateInstance, "赵六提交的采购申请", "0437261958473620"));
        var recovery = app.Services.GetRequiredService<DingFailedEventRecovery>();
        var journalBefore = journal.Count;
        Console.WriteLine("recover-failed:");
        var first = await recovery.RecoverAsync();
        Commands.PrintRecovery(first);
        foreach (var line in journal.Since(journalBefore))
        {
            Console.WriteLine($"  | {line}");
        }

        // DingTalk documents no acknowledgement: the same entry may be listed again. The recovery store skips it.
        foreach (var failed in failing.FailedEvents)
        {
            dingtalkServer.EnqueueFailedEventJson(failed.ToFailedListEntryJson());
        }

        Console.WriteLine("recover-failed (again):");
        var second = await recovery.RecoverAsync();
        Commands.PrintRecovery(second);
        var recovered = lateDelivery.WentToFailedList
            && first.Entries.Count == 1 && first.Entries[0].Outcome == DingRecoveryOutcome.Handled
            && second.Entries.Count == 1 && second.Entries[0].Outcome == DingRecoveryOutcome.SkippedAlreadyRecovered;

        var orders = app.Services.GetRequiredService<IWorkOrderStore>().All;
        Console.WriteLine();
        Console.WriteLine($"{Script.Length} deliveries, {asExpected} answered as DingTalk expects; registration {(synced ? "in step" : "NOT in step")}; failed-event recovery {(recovered ? "handled once, then skipped" : "NOT as expected")}; {orders.Count} work order(s) open: {string.Join(", ", orders.Select(o => $"{o.Number} ({o.Title})"))}");
        return asExpected == Script.Length && synced && recovered ? 0 : 1;
    }

    private static string ApprovalJson(string id, string title, string originator) =>
        $$"""{"title":"{{title}}","create_time":"2024-06-01 10:30:00","finish_time":"2024-06-01 11:30:00","originator_userid":"{{originator}}","originator_dept_id":"612345678","originator_dept_name":"行政部","status":"COMPLETED","result":"agree","business_id":"202406011030000123456","biz_action":"NONE","form_component_values":[{"name":"请假类型","value":"年假","id":"TextField-K2AD4O5B","component_type":"TextField"}],"tasks":[{"taskid":"71234567890","userid":"manager7791","task_status":"COMPLETED","task_result":"AGREE","create_time":"2024-06-01 10:30:00","finish_time":"2024-06-01 11:00:00"}],"process_instance_id":"{{id}}"}""";

    private static string Tamper(string signature) => (signature[0] == '0' ? "1" : "0") + signature[1..];

    private sealed record Delivery(string EventName, string PayloadJson, bool TamperSignature = false);
}
