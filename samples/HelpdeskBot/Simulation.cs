using System.Globalization;
using System.Net;
using System.Text.Json;
using DingGen;
using DingGen.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace HelpdeskBot;

/// <summary>
/// <c>--simulate</c>: plays DingTalk against this host, on loopback only, with the fakes of <c>DingGen.Testing</c>: a fake DingTalk
/// server answers the server API (approvals), serves the session webhooks and the robot send API and records every reply; a fake
/// Stream gateway opens the stream connection.
/// The same conversation is played twice: over stream mode (<c>CALLBACK</c> frames, ACKs with the card updates), then over HTTP
/// (robot messages and card callbacks posted to <c>/dingtalk/robot</c> and <c>/dingtalk/card</c>, signed with the AppSecret), plus a
/// forged and a stale request that must be refused. One line per step; exit code 0 only when every reply and card update is what
/// the script expects.
/// </summary>
internal static class Simulation
{
    public const string Flag = "--simulate";

    private const string AppKey = "dinghelpdeskdev0001";

    // Development-only secret shared with the in-process fakes; it protects nothing.
    private const string AppSecret = "dev-only-helpdesk-secret-not-real";
    private const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    private const string CardTemplateId = "helpdesk-approval-card.schema";
    private const string Approver = "manager7791";
    private const string Asker = "0214382847291053";
    private const string Completed = "b7d2a6f0-3c1e-4f9a-8d2b-5e6f7a8b9c0d";
    private const string Unknown = "00000000-0000-4000-8000-000000000000";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Starts the fakes and points the host at them (in-memory configuration wins over appsettings).</summary>
    public static async Task<SimulationFakes> StartFakesAsync(WebApplicationBuilder builder)
    {
        var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = AppKey, AppSecret = AppSecret, CorpId = CorpId });
        FakeStreamGateway? gateway = null;
        SimulationFakes fakes;
        try
        {
            gateway = await FakeStreamGateway.StartAsync(new FakeStreamGatewayOptions { ClientId = AppKey, ClientSecret = AppSecret });
            fakes = new SimulationFakes(dingtalk, gateway);
            foreach (var channel in Channels)
            {
                dingtalk.AddProcessInstance(RunningId(channel), ApprovalJson(RunningId(channel), "王五提交的出差申请", "RUNNING", null, running: true));
            }

            dingtalk.AddProcessInstance(Completed, ApprovalJson(Completed, "李四提交的请假", "COMPLETED", "agree", running: false));
        }
        catch
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            await dingtalk.DisposeAsync();
            throw;
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:AppKey"] = AppKey,
            ["DingGen:AppSecret"] = AppSecret,
            ["DingGen:Stream:Enabled"] = "true",
            ["DingGen:Stream:GatewayAddress"] = gateway.Address.ToString(),
            ["DingGen:OpenApi:BaseAddress"] = dingtalk.BaseAddress.ToString(),
            ["DingGen:OpenApi:RetryBaseDelay"] = "00:00:00.010",
            ["Helpdesk:CardTemplateId"] = CardTemplateId,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",

            // Expected by the script: the unknown approval (DingTalk's refusal) and the forged and stale requests. Their steps say so.
            ["Logging:LogLevel:DingGen.DingTalkClient"] = "Error",
            ["Logging:LogLevel:DingGen.Callback"] = "Error",
        });
        return fakes;
    }

    private static readonly string[] Channels = ["stream", "http"];

    private static string RunningId(string channel) => channel == "stream" ? "6c5b4a39-2817-4f60-9e8d-7c6b5a493827" : "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    public static async Task<int> RunAsync(WebApplication app, SimulationFakes fakes)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
        Console.WriteLine($"DingGen helpdesk robot on {address.TrimEnd('/')} (HTTP: /dingtalk/robot, /dingtalk/card) and in stream mode against a fake gateway at {fakes.Gateway.Address}; fake DingTalk at {fakes.DingTalk.BaseAddress}.");
        await fakes.Gateway.WaitForConnectionsAsync(1, Wait);
        var subscriptions = fakes.Gateway.TicketRequests[^1].Subscriptions;
        Console.WriteLine($"Stream subscriptions: {string.Join(", ", subscriptions)}");
        var subscribed = subscriptions.Any(static s => s.Contains(FakeStreamGateway.RobotMessageTopic, StringComparison.Ordinal))
            && subscriptions.Any(static s => s.Contains(FakeStreamGateway.CardCallbackTopic, StringComparison.Ordinal));
        Console.WriteLine();

        var steps = 0;
        var passed = 0;
        foreach (var channel in Channels)
        {
            var player = new Player(channel, fakes, http, app.Services.GetRequiredService<TimeProvider>());
            foreach (var step in Conversation(channel))
            {
                steps++;
                string outcome;
                bool ok;
                try
                {
                    (ok, outcome) = await step.Run(player);
                }
                catch (Exception ex) when (ex is TimeoutException or HttpRequestException or JsonException or InvalidOperationException)
                {
                    (ok, outcome) = (false, ex.Message);
                }

                passed += ok ? 1 : 0;
                Console.WriteLine($"[{steps,2}] {channel,-6} {step.Name,-44} {(ok ? "ok  " : "FAIL")} | {outcome}");
            }

            Console.WriteLine();
        }

        Console.WriteLine($"{steps} steps, {passed} as expected; stream subscriptions {(subscribed ? "include robot messages and card callbacks" : "MISSING robot or card topics")}.");
        return passed == steps && subscribed ? 0 : 1;
    }

    /// <summary>The conversation, the same in both channels (HTTP adds the refused requests).</summary>
    private static IEnumerable<Step> Conversation(string channel)
    {
        var running = RunningId(channel);
        yield return new Step("help", async player =>
        {
            var replies = await player.SayAsync("help");
            return Expect(replies, static r => r.Via == ReplyRoute.Webhook && r.Kind == "markdown" && r.Text.Contains("status <approval id>", StringComparison.Ordinal), "help text through the session webhook");
        });
        yield return new Step($"status {running[..8]}… (waiting)", async player =>
        {
            var replies = await player.SayAsync("status " + running);
            player.LastCardId = replies.FirstOrDefault(static r => r.Kind == "interactiveCard")?.CardBizId;
            var card = replies.Any(r => r.Via == ReplyRoute.Api && r.Kind == "interactiveCard" && r.CardParams.GetValueOrDefault(HelpdeskHandlers.ApprovalIdParam) == running);
            var text = replies.Any(static r => r.Via == ReplyRoute.Webhook && r.Kind == "markdown" && r.Text.Contains("waiting for " + Approver, StringComparison.Ordinal));
            return (card && text && replies.Count == 2, $"{Describe(replies)}");
        });
        yield return new Step("card: remind approver", async player =>
        {
            var (update, replies) = await player.PressRemindAsync(running);
            var reminded = update.GetValueOrDefault(HelpdeskHandlers.RemindedParam) == "true"
                && update.GetValueOrDefault(HelpdeskHandlers.RemindStatusParam)?.StartsWith("Reminded " + Approver, StringComparison.Ordinal) == true;
            var message = replies.Count == 1 && replies[0].Via == ReplyRoute.Api && replies[0].To == Approver && replies[0].Text.Contains("waiting for your approval", StringComparison.Ordinal);
            return (reminded && message, $"card {Describe(update)}; {Describe(replies)}");
        });
        yield return new Step("card: remind approver again", async player =>
        {
            var (update, replies) = await player.PressRemindAsync(running);
            var already = update.GetValueOrDefault(HelpdeskHandlers.RemindStatusParam)?.StartsWith("Already reminded", StringComparison.Ordinal) == true;
            return (already && replies.Count == 0, $"card {Describe(update)}; {Describe(replies)}");
        });
        yield return new Step($"status {Completed[..8]}… (finished)", async player =>
        {
            var replies = await player.SayAsync("status " + Completed);
            return Expect(replies, static r => r.Kind == "markdown" && r.Text.Contains("approved on 2024-06-01 11:30", StringComparison.Ordinal), "approved, no card");
        });
        yield return new Step("status of an unknown approval", async player =>
        {
            var replies = await player.SayAsync("status " + Unknown);
            return Expect(replies, static r => r.Kind == "text" && r.Text.Contains("was not found", StringComparison.Ordinal), "not found");
        });
        yield return new Step("anything else", async player =>
        {
            var replies = await player.SayAsync("你好, what can you do?");
            return Expect(replies, static r => r.Kind == "markdown" && r.Text.Contains("status <approval id>", StringComparison.Ordinal), "help text");
        });
        yield return new Step("status after the session webhook expired", async player =>
        {
            var replies = await player.SayAsync("status " + Completed, webhookExpired: true);
            return Expect(replies, static r => r.Via == ReplyRoute.Api && r.Kind == "markdown" && r.Text.Contains("approved", StringComparison.Ordinal), "through the robot API");
        });
        if (channel == "http")
        {
            yield return new Step("forged signature", async player =>
            {
                var (status, replies) = await player.PostForgedAsync(stale: false);
                return (status == HttpStatusCode.Forbidden && replies.Count == 0, $"HTTP {(int)status}, {Describe(replies)}");
            });
            yield return new Step("timestamp two hours old", async player =>
            {
                var (status, replies) = await player.PostForgedAsync(stale: true);
                return (status == HttpStatusCode.Unauthorized && replies.Count == 0, $"HTTP {(int)status}, {Describe(replies)}");
            });
        }
    }

    private static (bool Ok, string Outcome) Expect(IReadOnlyList<SimulatedReply> replies, Func<SimulatedReply, bool> match, string expected)
    {
        var ok = replies.Count == 1 && match(replies[0]);
        return (ok, ok ? expected + ": " + Describe(replies) : $"expected one reply ({expected}), got {Describe(replies)}");
    }

    private static string Describe(IReadOnlyList<SimulatedReply> replies) =>
        replies.Count == 0 ? "no reply" : string.Join("; ", replies.Select(static r => r.ToString()));

    private static string Describe(IReadOnlyDictionary<string, string> update) =>
        update.Count == 0 ? "not updated" : string.Join(", ", update.Select(static p => $"{p.Key}={Shorten(p.Value)}"));

    internal static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 48 ? line : line[..47] + "…";
    }

    private static string ApprovalJson(string id, string title, string status, string? result, bool running) =>
        $$"""{"title":"{{title}}","create_time":"2024-06-01 10:30:00",{{(running ? string.Empty : "\"finish_time\":\"2024-06-01 11:30:00\",")}}"originator_userid":"{{Asker}}","originator_dept_id":"612345678","originator_dept_name":"行政部","status":"{{status}}","result":"{{result ?? string.Empty}}","business_id":"202406011030000123456","biz_action":"NONE","form_component_values":[],"tasks":[{"taskid":"71234567890","userid":"{{Approver}}","task_status":"{{(running ? "RUNNING" : "COMPLETED")}}","task_result":"{{(running ? "NONE" : "AGREE")}}","create_time":"2024-06-01 10:30:00"}],"process_instance_id":"{{id}}"}""";

    private sealed record Step(string Name, Func<Player, Task<(bool Ok, string Outcome)>> Run);

    /// <summary>
    /// Sends one channel's messages and card actions, built with <see cref="DingRobotMessageBuilder"/> (each message with a fresh session
    /// webhook of the fake DingTalk): over stream mode as <c>CALLBACK</c> frames of the fake gateway (<see cref="FakeStreamGateway.SendRobotMessageAsync"/>,
    /// <see cref="FakeStreamGateway.SendCardCallbackAsync"/>), over HTTP signed and posted by
    /// <see cref="DingTalkRobotSimulator"/>. Stream mode talks one-to-one, HTTP in a group with the robot @-mentioned.
    /// </summary>
    private sealed class Player(string channel, SimulationFakes fakes, HttpClient http, TimeProvider clock)
    {
        private readonly DingTalkRobotSimulator _dingtalk = new(AppSecret, clock);
        private int _sequence;

        public string? LastCardId { get; set; }

        private bool IsStream => channel == "stream";

        /// <summary>Sends a text message from <see cref="Asker"/> and returns the replies it caused.</summary>
        public async Task<IReadOnlyList<SimulatedReply>> SayAsync(string text, bool webhookExpired = false)
        {
            var json = Messages(webhookExpired ? TimeSpan.FromMinutes(-1) : TimeSpan.FromMinutes(90)).Text(text);
            var mark = fakes.ReplyMark();
            if (IsStream)
            {
                var messageId = await fakes.Gateway.SendRobotMessageAsync(json, Wait);
                var ack = await fakes.Gateway.WaitForAckAsync(messageId, Wait);
                if (ack.Code != 200)
                {
                    throw new InvalidOperationException($"the robot message was acknowledged with code {ack.Code.ToString(CultureInfo.InvariantCulture)}");
                }
            }
            else
            {
                var response = await _dingtalk.PostRobotMessageAsync(http, "/dingtalk/robot", json);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the robot message was answered HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}: {response.Body}");
                }
            }

            // Both channels send a handler's replies before they answer; the settle only catches replies nobody expected.
            return await fakes.RepliesSinceAsync(mark, settle: TimeSpan.FromMilliseconds(100));
        }

        /// <summary>Presses "remind approver" on the last status card: the card update and the replies it caused.</summary>
        public async Task<(IReadOnlyDictionary<string, string> Update, IReadOnlyList<SimulatedReply> Replies)> PressRemindAsync(string approvalId)
        {
            var outTrackId = LastCardId ?? throw new InvalidOperationException("no status card was sent to press remind on");
            var json = DingRobotMessageBuilder.CardCallback(outTrackId, Asker, [HelpdeskHandlers.RemindAction], new Dictionary<string, string> { [HelpdeskHandlers.ApprovalIdParam] = approvalId }, CorpId);
            var mark = fakes.ReplyMark();
            string body;
            if (IsStream)
            {
                var messageId = await fakes.Gateway.SendCardCallbackAsync(json, Wait);
                body = await fakes.Gateway.WaitForCallbackResponseAsync(messageId, Wait) ?? "{}";
            }
            else
            {
                var response = await _dingtalk.PostCardCallbackAsync(http, "/dingtalk/card", json);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the card callback was answered HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}: {response.Body}");
                }

                body = response.Body;
            }

            return (PublicCardParams(body), await fakes.RepliesSinceAsync(mark, settle: TimeSpan.FromMilliseconds(100)));
        }

        /// <summary>A robot message signed with a wrong secret, or with the right one for a timestamp two hours old.</summary>
        public async Task<(HttpStatusCode Status, IReadOnlyList<SimulatedReply> Replies)> PostForgedAsync(bool stale)
        {
            var forger = stale ? new DingTalkRobotSimulator(AppSecret, new ShiftedClock(clock, TimeSpan.FromHours(-2))) : new DingTalkRobotSimulator("not-the-app-secret", clock);
            var mark = fakes.ReplyMark();
            var response = await forger.PostRobotMessageAsync(http, "/dingtalk/robot", Messages(TimeSpan.FromMinutes(90)).Text("status " + Completed));
            return (response.StatusCode, await fakes.RepliesSinceAsync(mark, settle: TimeSpan.FromMilliseconds(100)));
        }

        private DingRobotMessageBuilder Messages(TimeSpan sessionLifetime)
        {
            var builder = fakes.DingTalk.CreateRobotMessageBuilder(sessionLifetime)
                .From(Asker, "张三")
                .WithMsgId($"msg-{channel}-{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}");
            return IsStream ? builder.OneToOne("cidHelpdeskOneToOne0000000000001==") : builder.InGroup("cidHelpdeskGroup00000000000000001==", "行政部");
        }

        private static Dictionary<string, string> PublicCardParams(string body)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("cardData", out var cardData) && cardData.TryGetProperty("cardParamMap", out var map))
            {
                foreach (var property in map.EnumerateObject())
                {
                    values[property.Name] = property.Value.GetString() ?? string.Empty;
                }
            }

            return values;
        }
    }

    /// <summary>A clock <paramref name="offset"/> away from <paramref name="inner"/>: the stale request's sender.</summary>
    private sealed class ShiftedClock(TimeProvider inner, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
    }
}
