using System.Diagnostics;
using System.Reflection;
using DingGen.Testing;

namespace StreamWorker.Simulation;

/// <summary>
/// Starts a fake DingTalk Stream gateway on loopback, starts the worker against it (AppKey, AppSecret and the gateway address
/// in its environment, as a deployment would set them), plays EVENT frames, a ping, a connection rotation (<c>disconnect</c>)
/// and a dropped connection, and checks for every event both DingTalk's side (the ACK) and the worker's (the line its handler
/// printed). Ends by stopping the worker with SIGTERM, which must exit 0.
/// </summary>
internal static class WorkerSimulation
{
    private const string AppKey = "dingstreamworker0001";

    // A development-only secret for the in-process fake gateway; it protects nothing.
    private const string AppSecret = "stream-worker-dev-secret-not-for-production";
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string Instance = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly Step[] Script =
    [
        Step.Event("user_add_org", "evt-0001", """{"timeStamp":"1717034599000","userId":["0214382847291053"]}""", "staff joined: 0214382847291053"),
        Step.Event("bpms_instance_change", "evt-0002", $$"""{"processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","title":"李四提交的请假","type":"start","staffId":"0214382847291053"}""", $"approval {Instance} start"),
        new Step("ping", StepKind.Ping),
        new Step("disconnect (connection rotated)", StepKind.Disconnect),
        Step.Event("bpms_instance_change", "evt-0003", $$"""{"processInstanceId":"{{Instance}}","corpId":"{{CorpId}}","type":"finish","result":"agree","staffId":"0214382847291053"}""", $"approval {Instance} finish/agree"),
        new Step("connection dropped (TCP reset)", StepKind.Drop),
        Step.Event("user_leave_org", "evt-0004", """{"timeStamp":"1719810100654","userId":["0437261958473620"]}""", "staff left: 0437261958473620"),
        Step.Event("org_dept_create", "evt-0005", """{"timeStamp":"1717034701300","deptId":[612345678]}""", "department created: 612345678"),
        Step.Event("calendar_event_change", "evt-0006", """{"eventId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}""", null, "calendar_event_change (no handler)"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var worker = WorkerPath(args);
        if (worker is null || !File.Exists(worker))
        {
            Console.Error.WriteLine(worker is null
                ? "usage: StreamWorker.Simulation [--worker <StreamWorker binary or StreamWorker.dll>]"
                : $"the worker '{worker}' does not exist; build samples/StreamWorker first or pass --worker <path>");
            return 2;
        }

        await using var gateway = await FakeStreamGateway.StartAsync(new FakeStreamGatewayOptions
        {
            ClientId = AppKey,
            ClientSecret = AppSecret,
            RedeliveryDelay = TimeSpan.FromSeconds(2),
            DisconnectGrace = TimeSpan.FromSeconds(10),
        });

        await using var process = WorkerProcess.Start(worker, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["DingGen__AppKey"] = AppKey,
            ["DingGen__AppSecret"] = AppSecret,
            ["DingGen__Stream__GatewayAddress"] = gateway.Address.ToString(),
            ["DingGen__Stream__InitialReconnectDelay"] = "00:00:00.100",
            ["DingGen__Stream__MaxReconnectDelay"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",

            // The script drops a connection on purpose: the worker's reconnect warning would only repeat that step.
            ["Logging__LogLevel__DingGen.Stream"] = "Error",
        });

        Console.WriteLine($"StreamWorker ({worker}) against a fake DingTalk Stream gateway at {gateway.Address} (client id {AppKey}).");
        try
        {
            await gateway.WaitForConnectionsAsync(1, Wait);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"FAIL: the worker opened no Stream connection within {Wait.TotalSeconds:0} s");
            Console.WriteLine(process.Errors);
            return 1;
        }

        Console.WriteLine($"connected {Stopwatch.GetElapsedTime(process.StartedAt).TotalMilliseconds:0} ms after the worker process started");
        Console.WriteLine();

        var asExpected = 0;
        for (var i = 0; i < Script.Length; i++)
        {
            var step = Script[i];
            bool ok;
            string outcome;
            string printed;
            try
            {
                (ok, outcome, printed) = await RunStepAsync(step, gateway, process);
            }
            catch (TimeoutException ex)
            {
                (ok, outcome, printed) = (false, ex.Message, string.Empty);
            }

            asExpected += ok ? 1 : 0;
            Console.WriteLine($"[{i + 1,2}] {step.Name,-36} -> {outcome,-30} {(ok ? "ok  " : "FAIL")}{(printed.Length > 0 ? " | " + printed : string.Empty)}");
        }

        var exit = await process.StopAsync(TimeSpan.FromSeconds(15));
        var stopped = exit == 0;
        Console.WriteLine($"SIGTERM -> {(exit is null ? "still running after 15 s" : $"exit code {exit}")} {(stopped ? "ok" : "FAIL")}");

        Console.WriteLine();
        Console.WriteLine($"{Script.Length} steps, {asExpected} as DingTalk expects; {gateway.TicketsIssued} ticket(s), {gateway.Connections.Count} connection(s); worker {(stopped ? "stopped cleanly" : "did not stop cleanly")}");
        if (asExpected != Script.Length || !stopped)
        {
            Console.WriteLine("worker log (standard error):");
            Console.WriteLine(process.Errors);
            return 1;
        }

        return 0;
    }

    private static string? WorkerPath(string[] args)
    {
        if (args.Length == 0)
        {
            return typeof(WorkerSimulation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(static a => a.Key == "StreamWorkerAssembly").Value;
        }

        return args is ["--worker", var path] ? Path.GetFullPath(path) : null;
    }

    private static async Task<(bool Ok, string Outcome, string Printed)> RunStepAsync(Step step, FakeStreamGateway gateway, WorkerProcess worker)
    {
        switch (step.Kind)
        {
            case StepKind.Event:
                var before = worker.LineCount;
                var messageId = await gateway.SendEventAsync(step.EventType!, step.DataJson!, step.EventId, CorpId);
                var ack = await gateway.WaitForAckAsync(messageId, Wait);
                var acked = ack.Status == "SUCCESS" && ack.Code == 200;
                if (step.Expected is null)
                {
                    // The ACK is sent after the pipeline finished: a handler would have printed its line by now.
                    var extra = worker.LinesSince(before);
                    return (acked && extra.Count == 0, $"ACK {ack.Status} on connection {ack.ConnectionId}", extra.Count == 0 ? "no handler ran" : string.Join("; ", extra));
                }

                var line = await worker.WaitForLineAsync(before, $"event {step.EventType} {step.EventId} via Stream: ", Wait);
                var ok = acked && line.EndsWith(": " + step.Expected, StringComparison.Ordinal);
                return (ok, $"ACK {ack.Status} on connection {ack.ConnectionId}", line);

            case StepKind.Ping:
                var ping = await gateway.SendPingAsync();
                var reply = await gateway.WaitForAckAsync(ping, Wait);
                return (reply.Code == 200 && reply.Data == gateway.SentData(ping), $"answered {reply.Code}, opaque echoed", string.Empty);

            case StepKind.Disconnect:
                var count = gateway.Connections.Count;
                var old = gateway.Connections[^1].Id;
                await gateway.SendDisconnectAsync();
                await gateway.WaitForConnectionsAsync(count + 1, Wait);
                await gateway.WaitForConnectionClosedAsync(old, Wait);
                var (previous, next) = (gateway.Connections[count - 1], gateway.Connections[count]);
                var inOrder = next.OpenedAt < previous.ClosedAt && previous.ClosedByClient;
                return (inOrder, $"connection {next.Id} open before {previous.Id} closed", string.Empty);

            default:
                var open = gateway.Connections.Count;
                var tickets = gateway.TicketsIssued;
                await gateway.DropConnectionsAsync();
                await gateway.WaitForConnectionsAsync(open + 1, Wait);
                return (gateway.TicketsIssued == tickets + 1, $"reconnected, fresh ticket #{gateway.TicketsIssued}", string.Empty);
        }
    }

    private enum StepKind
    {
        Event,
        Ping,
        Disconnect,
        Drop,
    }

    private sealed record Step(string Name, StepKind Kind, string? EventType = null, string? EventId = null, string? DataJson = null, string? Expected = null)
    {
        public static Step Event(string eventType, string eventId, string dataJson, string? expected, string? name = null) =>
            new(name ?? eventType, StepKind.Event, eventType, eventId, dataJson, expected);
    }
}
