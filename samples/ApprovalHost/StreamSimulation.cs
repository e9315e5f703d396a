using DingGen;
using DingGen.Testing;

namespace ApprovalHost;

/// <summary>
/// <c>--simulate-stream</c>: starts a fake DingTalk Stream gateway in-process, runs this host in stream mode against it
/// (only loopback, no network), plays a realistic script of EVENT frames plus a ping, a connection rotation
/// (<c>disconnect</c>) and a dropped connection, prints one line per step with the acknowledgement, and returns 0 only
/// when every step is what DingTalk expects.
/// </summary>
internal static class StreamSimulation
{
    public const string Flag = "--simulate-stream";

    private const string AppKey = "dingsampledevapp0001";

    // A development-only secret for the in-process fake gateway; it protects nothing.
    private const string AppSecret = "sample-stream-dev-secret-not-for-production";
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Instance = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly Step[] Script =
    [
        Step.Event("bpms_instance_change", "evt-0001", $$"""{"processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"0214382847291053","processCode":"PROC-8F2C6A1B-4D3E-4A5B-9C8D-7E6F5A4B3C2D"}"""),
        Step.Event("bpms_task_change", "evt-0002", $$"""{"processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","createTime":1717035000000,"title":"李四提交的请假","type":"start","staffId":"manager7791","taskId":71234567890}"""),
        Step.Event("bpms_task_change", "evt-0003", $$"""{"processInstanceId":"{{Instance}}","finishTime":1717036200000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","staffId":"manager7791","taskId":71234567890}"""),
        Step.Event("bpms_instance_change", "evt-0004", $$"""{"processInstanceId":"{{Instance}}","finishTime":1717038600000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","staffId":"0214382847291053"}"""),
        new Step("ping", StepKind.Ping),
        new Step("disconnect (connection rotated)", StepKind.Disconnect),
        Step.Event("bpms_instance_change", "evt-0004", $$"""{"processInstanceId":"{{Instance}}","finishTime":1717038600000,"corpId":"{{CorpId}}","title":"李四提交的请假","type":"finish","result":"agree","staffId":"0214382847291053"}""", "bpms_instance_change (redelivered)"),
        Step.Event("user_add_org", "evt-0005", """{"timeStamp":"1717034599000","userId":["0214382847291053"]}"""),
        new Step("connection dropped (TCP reset)", StepKind.Drop),
        Step.Event("user_leave_org", "evt-0006", """{"timeStamp":"1719810100654","userId":["0437261958473620"]}"""),
        Step.Event("org_dept_create", "evt-0007", """{"timeStamp":"1717034701300","deptId":[612345678]}"""),
        Step.Event("calendar_event_change", "evt-0008", """{"eventId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}""", "calendar_event_change (no handler)"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        await using var gateway = await FakeStreamGateway.StartAsync(new FakeStreamGatewayOptions
        {
            ClientId = AppKey,
            ClientSecret = AppSecret,
            RedeliveryDelay = TimeSpan.FromSeconds(2),
            DisconnectGrace = TimeSpan.FromSeconds(10),
        });

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args.Where(static a => a != Flag).ToArray(),
            EnvironmentName = Environments.Development,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",

            // The script drops a connection on purpose: its reconnect warning would only repeat step 9.
            ["Logging:LogLevel:DingGen.Stream"] = "Error",
            ["DingGen:AppKey"] = AppKey,
            ["DingGen:AppSecret"] = AppSecret,
            ["DingGen:Stream:Enabled"] = "true",
            ["DingGen:Stream:GatewayAddress"] = gateway.Address.ToString(),
            ["DingGen:Stream:InitialReconnectDelay"] = "00:00:00.100",
            ["DingGen:Stream:MaxReconnectDelay"] = "00:00:01",
        });
        // The approval handler reads finished instances through DingTalkClient: a fake DingTalk server answers on loopback.
        await using var dingtalkServer = await Simulation.StartFakeDingTalkAsync(builder.Configuration);
        builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).AddDingTalkClient(); // Stream:Enabled above turns stream mode on
        builder.Services.AddDingEventHandlers();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IWorkOrderStore, InMemoryWorkOrderStore>();
        builder.Services.AddSingleton<ActivityJournal>();

        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            return await PlayAsync(app, gateway);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<int> PlayAsync(WebApplication app, FakeStreamGateway gateway)
    {
        var journal = app.Services.GetRequiredService<ActivityJournal>();
        Console.WriteLine($"DingGen approval host in stream mode against a fake DingTalk Stream gateway at {gateway.Address} (client id {AppKey}).");
        Console.WriteLine($"Tick these events in the DingTalk console: {string.Join(", ", DingEventTags.All)}");
        Console.WriteLine();

        var asExpected = 0;
        for (var i = 0; i < Script.Length; i++)
        {
            var step = Script[i];
            var before = journal.Count;
            string outcome;
            bool ok;
            try
            {
                (ok, outcome) = await RunStepAsync(step, gateway);
            }
            catch (TimeoutException ex)
            {
                (ok, outcome) = (false, ex.Message);
            }

            asExpected += ok ? 1 : 0;
            var did = journal.Since(before);
            var what = did.Count > 0 ? string.Join("; ", did) : step.Kind == StepKind.Event ? "no handler ran" : string.Empty;
            Console.WriteLine($"[{i + 1,2}] {step.Name,-36} -> {outcome,-34} {(ok ? "ok  " : "FAIL")}{(what.Length > 0 ? " | " + what : string.Empty)}");
        }

        var orders = app.Services.GetRequiredService<IWorkOrderStore>().All;
        Console.WriteLine();
        Console.WriteLine($"{Script.Length} steps, {asExpected} as DingTalk expects; {gateway.TicketsIssued} ticket(s), {gateway.Connections.Count} connection(s); {orders.Count} work order(s) open: {string.Join(", ", orders.Select(static o => $"{o.Number} ({o.Title})"))}");
        return asExpected == Script.Length ? 0 : 1;
    }

    private static async Task<(bool Ok, string Outcome)> RunStepAsync(Step step, FakeStreamGateway gateway)
    {
        switch (step.Kind)
        {
            case StepKind.Event:
                var messageId = await gateway.SendEventAsync(step.EventType!, step.DataJson!, step.EventId, CorpId);
                var ack = await gateway.WaitForAckAsync(messageId, Wait);
                return (ack.Status == "SUCCESS" && ack.Code == 200, $"ACK {ack.Status} on connection {ack.ConnectionId}");

            case StepKind.Ping:
                var ping = await gateway.SendPingAsync();
                var reply = await gateway.WaitForAckAsync(ping, Wait);
                return (reply.Code == 200 && reply.Data == gateway.SentData(ping), $"answered {reply.Code}, opaque echoed");

            case StepKind.Disconnect:
                var count = gateway.Connections.Count;
                var old = gateway.Connections[^1].Id;
                await gateway.SendDisconnectAsync();
                await gateway.WaitForConnectionsAsync(count + 1, Wait);
                await gateway.WaitForConnectionClosedAsync(old, Wait);
                var (previous, next) = (gateway.Connections[count - 1], gateway.Connections[count]);
                var inOrder = next.OpenedAt < previous.ClosedAt && previous.ClosedByClient;
                return (inOrder, $"connection {next.Id} open before {previous.Id} closed");

            default:
                var before = gateway.Connections.Count;
                await gateway.DropConnectionsAsync();
                await gateway.WaitForConnectionsAsync(before + 1, Wait);
                return (gateway.TicketsIssued == before + 1, $"reconnected, fresh ticket #{gateway.TicketsIssued}");
        }
    }

    private enum StepKind
    {
        Event,
        Ping,
        Disconnect,
        Drop,
    }

    private sealed record Step(string Name, StepKind Kind, string? EventType = null, string? EventId = null, string? DataJson = null)
    {
        public static Step Event(string eventType, string eventId, string dataJson, string? name = null) =>
            new(name ?? eventType, StepKind.Event, eventType, eventId, dataJson);
    }
}
