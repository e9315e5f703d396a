using System.Net;
using System.Text.Json;
using DingGen.Events;
using DingGen.OpenApi.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.OpenApi.Tests;

/// <summary>
/// <see cref="DingTalkRobotSimulator"/> and <see cref="DingRobotMessageBuilder"/>. The expected signature was computed outside .NET,
/// with Python's <c>hmac</c>: <c>base64.b64encode(hmac.new(s.encode(), (ts + "\n" + s).encode(), hashlib.sha256).digest())</c> for
/// s = <c>robot-secret-Ä9z</c> and ts = <c>1795852800000</c> (2026-11-28T08:00:00Z).
/// </summary>
public sealed class RobotSimulatorTests
{
    private const string Secret = "robot-secret-Ä9z";
    private const string ExpectedTimestamp = "1795852800000";
    private const string ExpectedSign = "gzOTl7er5joDlsD0fXxPrttHT77V5ycadYkCw1XdpkU=";

    [Fact(Timeout = 30_000)]
    public async Task The_simulator_posts_the_JSON_signed_like_DingTalk_and_returns_the_hosts_answer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1795852800000));
        var received = new List<(string? Timestamp, string? Sign, string Path, string Body)>();
        await using var host = await StaticServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (received)
            {
                received.Add((context.Request.Headers["timestamp"], context.Request.Headers["sign"], context.Request.Path, body));
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"msgtype":"text","text":{"content":"pong"}}""");
        });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var simulator = new DingTalkRobotSimulator(Secret, time);
        var message = new DingRobotMessageBuilder(time).Text("ping");
        var callback = DingRobotMessageBuilder.CardCallback("card-42", "user42", ["remind"], new Dictionary<string, string> { ["approval"] = "42" });

        var answer = await simulator.PostRobotMessageAsync(client, "/dingtalk/robot", message);
        time.Advance(TimeSpan.FromSeconds(1));
        var cardAnswer = await simulator.PostCardCallbackAsync(client, "/dingtalk/card", callback);

        Assert.Equal((HttpStatusCode.OK, """{"msgtype":"text","text":{"content":"pong"}}""", "application/json"), (answer.StatusCode, answer.Body, answer.ContentType));
        Assert.Equal(HttpStatusCode.OK, cardAnswer.StatusCode);
        Assert.Equal(2, received.Count);
        Assert.Equal((ExpectedTimestamp, ExpectedSign, "/dingtalk/robot", message), received[0]);
        Assert.Equal(DingRobotSignatureStatus.Valid, DingRobotSignature.Verify(Secret, received[1].Timestamp, received[1].Sign, time.GetUtcNow()));
        Assert.Equal("1795852801000", received[1].Timestamp);
        Assert.Equal(("/dingtalk/card", callback), (received[1].Path, received[1].Body));
        Assert.Equal(DingRobotSignatureStatus.Mismatch, DingRobotSignature.Verify("another-secret", received[0].Timestamp, received[0].Sign, time.GetUtcNow()));
    }

    [Fact]
    public void The_request_can_be_built_without_sending_to_alter_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1795852800000));
        using var request = new DingTalkRobotSimulator(Secret, time).CreateRequest("/dingtalk/robot", "{}");
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(ExpectedTimestamp, Assert.Single(request.Headers.GetValues("timestamp")));
        Assert.Equal(ExpectedSign, Assert.Single(request.Headers.GetValues("sign")));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Built_messages_parse_into_the_typed_record_with_every_message_type()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1795852800000));
        var hook = new Uri("http://127.0.0.1:9/robot/sendBySession?session=abc");
        var builder = new DingRobotMessageBuilder(time)
            .InGroup("cidHelpdesk", "Helpdesk")
            .From("user42", "张三", isAdmin: true)
            .ToRobot("dingrobot1")
            .AtUsers("user7")
            .WithSessionWebhook(hook, time.GetUtcNow().AddMinutes(90));

        var text = Parse(builder.WithMsgId("msg1").Text("status 42"));
        Assert.Equal(("msg1", "text", "cidHelpdesk", "2", "Helpdesk"), (text.MsgId, text.MsgType, text.ConversationId, text.ConversationType, text.ConversationTitle));
        Assert.Equal(("user42", "张三", "dingrobot1"), (text.SenderStaffId, text.SenderNick, text.RobotCode));
        Assert.True(text.IsGroup && text.IsInAtList && text.IsAdmin);
        Assert.Equal("status 42", text.TextContent);
        Assert.Equal(" status 42", text.Text!.Content);
        Assert.Contains(text.AtUsers, u => u.StaffId == "user7");
        Assert.Equal(hook.ToString(), text.SessionWebhook);
        Assert.Equal(time.GetUtcNow().AddMinutes(90), text.SessionWebhookExpiresAt);
        Assert.Equal(1795852800000, text.CreateAt);

        var rich = Parse(builder.RichText(new DingRobotRichTextPart { Text = "see " }, new DingRobotRichTextPart { Type = "picture", DownloadCode = "pic1" }, new DingRobotRichTextPart { Text = "this" }));
        Assert.Equal("see this", rich.TextContent);
        Assert.Equal("pic1", rich.RichText!.Parts[1].DownloadCode);
        Assert.NotEqual(text.MsgId, rich.MsgId);

        Assert.Equal("code1", Parse(builder.Picture("code1")).Picture!.DownloadCode);
        var file = Parse(builder.File("code2", "报告.pdf")).File!;
        Assert.Equal(("code2", "报告.pdf"), (file.DownloadCode, file.FileName));
        var audio = Parse(builder.Audio("code3", TimeSpan.FromSeconds(4), "查询审批 42"));
        Assert.Equal((4000L, "查询审批 42"), (audio.Audio!.Duration, audio.TextContent));

        var single = Parse(builder.OneToOne().Text("hi"));
        Assert.Equal(("1", false, "hi", null), (single.ConversationType, single.IsGroup, single.TextContent, single.ConversationTitle));
        Assert.Empty(single.AtUsers);

        var outsider = Parse(builder.FromOutsider("访客").Text("hi"));
        Assert.Null(outsider.SenderStaffId);
        Assert.Equal("dingothercorp0001", outsider.SenderCorpId);
    }

    [Fact]
    public void A_built_card_callback_parses_into_its_action_ids_and_parameters()
    {
        var json = DingRobotMessageBuilder.CardCallback("card-42", "user42", ["remind"], new Dictionary<string, string> { ["approval"] = "42", ["note"] = "尽快" });
        var callback = JsonSerializer.Deserialize(json, DingRobotJsonContext.Default.DingCardCallback)!;
        Assert.Equal(("card-42", "user42", "actionCallback", "dingfakecorp0001"), (callback.OutTrackId, callback.UserId, callback.Type, callback.CorpId));
        Assert.Equal(["remind"], callback.ActionIds);
        Assert.Equal(new Dictionary<string, string> { ["approval"] = "42", ["note"] = "尽快" }, callback.Params);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_fake_servers_builder_hands_out_its_own_expiring_session_webhooks()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1795852800000));
        await using var fake = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { TimeProvider = time });
        var builder = fake.CreateRobotMessageBuilder(TimeSpan.FromMinutes(5)).InGroup("cidHelpdesk");
        var first = Parse(builder.Text("a"));
        var second = Parse(builder.Text("b"));

        Assert.NotEqual(first.SessionWebhook, second.SessionWebhook);
        Assert.StartsWith(new Uri(fake.BaseAddress, FakeDingTalkServer.SessionWebhookPath.TrimStart('/')).ToString(), first.SessionWebhook, StringComparison.Ordinal);
        Assert.Equal(time.GetUtcNow().AddMinutes(5), first.SessionWebhookExpiresAt);
        Assert.Equal(fake.RobotCode, first.RobotCode);

        using var http = new HttpClient();
        var ok = await http.PostAsync(first.SessionWebhook, new StringContent("""{"msgtype":"text","text":{"content":"hi"}}"""));
        Assert.Contains("\"errcode\":0", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(5));
        var expired = await http.PostAsync(first.SessionWebhook, new StringContent("""{"msgtype":"text","text":{"content":"late"}}"""));
        Assert.Contains("\"errcode\":" + FakeDingTalkServer.SessionWebhookRefusedCode, await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var reply = Assert.Single(fake.RobotReplies);
        Assert.Equal(("cidHelpdesk", "hi"), (reply.ConversationId, reply.Text));
    }

    private static DingRobotMessage Parse(string json) =>
        JsonSerializer.Deserialize(json, DingRobotJsonContext.Default.DingRobotMessage)!;
}
