using System.Net;
using System.Text.Json;
using DingGen.Events;
using DingGen.OpenApi.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.OpenApi.Tests;

/// <summary>
/// The default <see cref="IDingRobotReplySender"/> of <c>AddDingGen</c> against <see cref="FakeDingTalkServer"/> on loopback: the session
/// webhook while it is valid, the robot send API after, interactive cards always through the API.
/// </summary>
public sealed class RobotReplySenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private FakeDingTalkServer _fake = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        _fake = await FakeDingTalkServer.StartAsync(
            new FakeDingTalkServerOptions { AppKey = OpenApiKeys.AppKey, AppSecret = OpenApiKeys.AppSecret, CorpId = OpenApiKeys.CorpId, TimeProvider = _time },
            cts.Token);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact(Timeout = 30_000)]
    public async Task Text_markdown_and_action_cards_go_through_the_session_webhook_while_it_is_valid()
    {
        await using var host = StartHost(withOpenApi: true);
        var message = Parse(_fake.CreateRobotMessageBuilder().InGroup("cidHelpdesk", "Helpdesk").From("user42", "张三").Text("status 42"));

        await host.Sender.SendAsync(message, DingRobotReply.FromText("审批 42：已通过", "user42", "user7"));
        await host.Sender.SendAsync(message, DingRobotReply.FromMarkdown("Approval 42", "**approved** @user42", "user42").WithAtAll());
        await host.Sender.SendAsync(message, DingRobotReply.FromActionCard("Approval 42", "### waiting", new DingRobotButton("Open", "https://example.com/42")));
        await host.Sender.SendAsync(message, DingRobotReply.FromActionCard("Approval 42", "### waiting", new DingRobotButton("Remind", "https://example.com/remind"), new DingRobotButton("Open", "https://example.com/42")));

        var replies = _fake.RobotReplies;
        Assert.Equal(4, replies.Count);
        Assert.All(replies, r => Assert.Equal(FakeRobotReplyRoute.SessionWebhook, r.Route));
        Assert.All(replies, r => Assert.Equal("cidHelpdesk", r.ConversationId));
        Assert.Equal((DingRobotReplyKind.Text, "审批 42：已通过"), (replies[0].Kind, replies[0].Text));
        Assert.Equal(["user42", "user7"], replies[0].AtUserIds);
        Assert.False(replies[0].AtAll);
        Assert.Equal((DingRobotReplyKind.Markdown, "Approval 42", "**approved** @user42"), (replies[1].Kind, replies[1].Title, replies[1].Text));
        Assert.True(replies[1].AtAll);
        Assert.Equal(["user42"], replies[1].AtUserIds);
        Assert.Equal(DingRobotReplyKind.ActionCard, replies[2].Kind);
        Assert.Equal([new DingRobotButton("Open", "https://example.com/42")], replies[2].Buttons);
        Assert.Contains("\"singleURL\":\"https://example.com/42\"", replies[2].BodyJson, StringComparison.Ordinal);
        Assert.Equal([new DingRobotButton("Remind", "https://example.com/remind"), new DingRobotButton("Open", "https://example.com/42")], replies[3].Buttons);
        Assert.Contains("\"btnOrientation\":\"0\"", replies[3].BodyJson, StringComparison.Ordinal);

        // The webhook needs no token: the server API was never asked for one.
        Assert.Equal(0, _fake.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Once_the_group_webhook_is_about_to_expire_the_reply_goes_through_the_group_message_api()
    {
        await using var host = StartHost(withOpenApi: true);
        var message = Parse(_fake.CreateRobotMessageBuilder(TimeSpan.FromMinutes(10)).InGroup("cidHelpdesk").Text("status 42"));

        // 25 s before the expiry: inside the 30 s margin, so the webhook is no longer used.
        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(25));
        await host.Sender.SendAsync(message, DingRobotReply.FromMarkdown("Approval 42", "**approved**"));
        await host.Sender.SendAsync(message, DingRobotReply.FromActionCard("A", "b", new("1", "https://e/1"), new("2", "https://e/2"), new("3", "https://e/3")));

        var replies = _fake.RobotReplies;
        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.Equal(FakeRobotReplyRoute.GroupMessage, r.Route));
        Assert.All(replies, r => Assert.Equal("cidHelpdesk", r.ConversationId));
        Assert.All(replies, r => Assert.Equal(OpenApiKeys.AppKey, r.RobotCode));
        Assert.Equal(("sampleMarkdown", "Approval 42", "**approved**"), (replies[0].MsgKey, replies[0].Title, replies[0].Text));
        Assert.Equal("sampleActionCard3", replies[1].MsgKey);
        Assert.Equal(["1", "2", "3"], replies[1].Buttons.Select(b => b.Title));
    }

    [Fact(Timeout = 30_000)]
    public async Task After_a_one_to_one_webhook_expired_the_reply_goes_to_the_sender_through_the_one_to_one_api()
    {
        await using var host = StartHost(withOpenApi: true);
        var message = Parse(_fake.CreateRobotMessageBuilder(TimeSpan.FromMinutes(10)).OneToOne().From("user42").Text("status 42"));
        _time.Advance(TimeSpan.FromHours(2));

        await host.Sender.SendAsync(message, DingRobotReply.FromText("审批 42：已通过"));

        var reply = Assert.Single(_fake.RobotReplies);
        Assert.Equal(FakeRobotReplyRoute.OneToOneMessage, reply.Route);
        Assert.Equal(["user42"], reply.UserIds);
        Assert.Equal(("sampleText", "审批 42：已通过"), (reply.MsgKey, reply.Text));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_message_without_a_session_webhook_is_answered_through_the_api()
    {
        await using var host = StartHost(withOpenApi: true);
        var message = Parse(_fake.CreateRobotMessageBuilder().InGroup("cidHelpdesk").Text("status 42")) with { SessionWebhook = null };

        await host.Sender.SendAsync(message, DingRobotReply.FromText("ok"));

        Assert.Equal(FakeRobotReplyRoute.GroupMessage, Assert.Single(_fake.RobotReplies).Route);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_interactive_card_always_goes_through_the_card_api_to_the_group_or_the_sender()
    {
        await using var host = StartHost(withOpenApi: true);
        var builder = _fake.CreateRobotMessageBuilder();
        var group = Parse(builder.InGroup("cidHelpdesk").Text("status 42"));
        var single = Parse(builder.OneToOne().From("user42").Text("status 42"));
        var card = DingRobotReply.FromInteractiveCard("tpl.approval", "card-42", new Dictionary<string, string> { ["title"] = "审批 42", ["state"] = "waiting" });

        await host.Sender.SendAsync(group, card);
        await host.Sender.SendAsync(single, card);

        var replies = _fake.RobotReplies;
        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.Equal((FakeRobotReplyRoute.InteractiveCard, DingRobotReplyKind.InteractiveCard), (r.Route, r.Kind)));
        Assert.All(replies, r => Assert.Equal(("tpl.approval", "card-42"), (r.CardTemplateId, r.CardBizId)));
        Assert.All(replies, r => Assert.Equal(new Dictionary<string, string> { ["title"] = "审批 42", ["state"] = "waiting" }, r.CardParams));
        Assert.Equal("cidHelpdesk", replies[0].ConversationId);
        Assert.Empty(replies[0].UserIds);
        Assert.Null(replies[1].ConversationId);
        Assert.Equal(["user42"], replies[1].UserIds);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_refusal_by_the_webhook_is_a_clear_exception_without_the_session()
    {
        await using var host = StartHost(withOpenApi: true);
        var forged = new Uri(_fake.BaseAddress, "robot/sendBySession?session=deadbeefsecretsession");
        var message = Parse(new DingRobotMessageBuilder(_time).WithSessionWebhook(forged, _time.GetUtcNow().AddHours(1)).WithMsgId("msgRefused").Text("hi"));

        var ex = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, DingRobotReply.FromText("ok")));

        Assert.Contains("msgRefused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("errcode " + FakeDingTalkServer.SessionWebhookRefusedCode, ex.Message, StringComparison.Ordinal);
        Assert.Contains("/robot/sendBySession?…", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("deadbeefsecretsession", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("deadbeefsecretsession", host.LogText(), StringComparison.Ordinal);
        Assert.Contains("RobotReplyFailed", host.Logs.GetSnapshot().Select(r => r.Id.Name));
        Assert.Empty(_fake.RobotReplies);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_HTTP_error_and_an_unreachable_webhook_are_clear_exceptions_without_the_session()
    {
        await using var host = StartHost(withOpenApi: true);
        var builder = _fake.CreateRobotMessageBuilder();
        var message = Parse(builder.InGroup("cidHelpdesk").Text("hi"));
        var session = new Uri(message.SessionWebhook!).Query;

        _fake.FailNextWithHttpStatus(FakeDingTalkServer.SessionWebhookPath, HttpStatusCode.InternalServerError);
        var http = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, DingRobotReply.FromText("ok")));
        Assert.Contains("answered HTTP 500", http.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(session[1..], http.Message, StringComparison.Ordinal);

        // A port nothing listens on (taken, then released).
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var closed = message with { SessionWebhook = $"http://127.0.0.1:{port}/robot/sendBySession?session=closedportsecret" };
        var unreachable = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(closed, DingRobotReply.FromText("ok")));
        Assert.Contains("could not be reached", unreachable.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(unreachable.InnerException);
        Assert.DoesNotContain("closedportsecret", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("closedportsecret", host.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(session[1..], host.LogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_the_OpenApi_client_an_expired_webhook_or_a_card_says_to_add_AddDingTalkClient()
    {
        await using var host = StartHost(withOpenApi: false);
        var message = Parse(_fake.CreateRobotMessageBuilder(TimeSpan.FromMinutes(5)).InGroup("cidHelpdesk").WithMsgId("msgLate").Text("hi"));
        _time.Advance(TimeSpan.FromMinutes(6));

        var expired = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, DingRobotReply.FromText("ok")));
        Assert.Contains("msgLate", expired.Message, StringComparison.Ordinal);
        Assert.Contains("expires at", expired.Message, StringComparison.Ordinal);
        Assert.Contains("AddDingTalkClient()", expired.Message, StringComparison.Ordinal);
        Assert.Contains("DingGen.OpenApi", expired.Message, StringComparison.Ordinal);

        var card = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, DingRobotReply.FromInteractiveCard("tpl", "card-1", new Dictionary<string, string>())));
        Assert.Contains("interactive card", card.Message, StringComparison.Ordinal);
        Assert.Contains("AddDingTalkClient()", card.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.RobotReplies);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_refusal_by_the_robot_api_is_a_clear_exception_naming_the_cause()
    {
        await using var host = StartHost(withOpenApi: true);
        var builder = _fake.CreateRobotMessageBuilder(TimeSpan.FromMinutes(1)).InGroup("cidHelpdesk");
        var message = Parse(builder.ToRobot("dingunknownrobot").Text("hi"));
        _time.Advance(TimeSpan.FromMinutes(2));

        var refused = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, DingRobotReply.FromText("ok")));
        var api = Assert.IsType<DingTalkApiException>(refused.InnerException);
        Assert.Equal((400, "invalidParameter"), (api.ErrorCode, api.SubCode));
        Assert.Contains("robot send API", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no such robot", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.AppSecret, refused.ToString(), StringComparison.Ordinal);

        var six = DingRobotReply.FromActionCard("A", "b", Enumerable.Range(1, 6).Select(i => new DingRobotButton("b" + i, "https://e/" + i)).ToArray());
        var tooMany = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message, six));
        Assert.Contains("at most 5 buttons", tooMany.Message, StringComparison.Ordinal);

        var outsider = Parse(builder.ToRobot(OpenApiKeys.AppKey).OneToOne().FromOutsider("访客").Text("hi"));
        _time.Advance(TimeSpan.FromMinutes(2));
        var noStaffId = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(outsider, DingRobotReply.FromText("ok")));
        Assert.Contains("senderStaffId", noStaffId.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.RobotReplies);
        Assert.DoesNotContain(OpenApiKeys.AppSecret, host.LogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_or_absurd_expiry_means_the_webhook_is_not_used()
    {
        await using var host = StartHost(withOpenApi: false);
        var message = Parse(_fake.CreateRobotMessageBuilder().InGroup("cidHelpdesk").Text("hi"));

        foreach (var expiry in new[] { 0L, -5L, long.MaxValue })
        {
            var ex = await Assert.ThrowsAsync<DingRobotReplyException>(() => host.Sender.SendAsync(message with { SessionWebhookExpiredTime = expiry }, DingRobotReply.FromText("ok")));
            Assert.Contains("no valid sessionWebhookExpiredTime", ex.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_fake.RobotReplies);
    }

    [Fact(Timeout = 30_000)]
    public async Task With_several_apps_the_robot_api_uses_the_app_whose_AppKey_is_the_robotCode()
    {
        await using var hrFake = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = "dinghrrobot", AppSecret = "hr-secret", TimeProvider = _time });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:AppKey"] = OpenApiKeys.AppKey,
            ["DingGen:AppSecret"] = OpenApiKeys.AppSecret,
            ["DingGen:OpenApi:BaseAddress"] = _fake.BaseAddress.ToString(),
            ["Hr:AppKey"] = "dinghrrobot",
            ["Hr:AppSecret"] = "hr-secret",
            ["Hr:OpenApi:BaseAddress"] = hrFake.BaseAddress.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient();
        services.AddDingGen("hr", configuration.GetSection("Hr")).AddDingTalkClient();
        await using var provider = services.BuildServiceProvider();
        var sender = provider.GetRequiredService<IDingRobotReplySender>();

        var toHr = Parse(hrFake.CreateRobotMessageBuilder().InGroup("cidHr").Text("hi")) with { SessionWebhook = null };
        var toDefault = Parse(_fake.CreateRobotMessageBuilder().InGroup("cidMain").Text("hi")) with { SessionWebhook = null };
        await sender.SendAsync(toHr, DingRobotReply.FromText("from hr"));
        await sender.SendAsync(toDefault, DingRobotReply.FromText("from main"));

        Assert.Equal(("cidHr", "dinghrrobot", "from hr"), (Assert.Single(hrFake.RobotReplies).ConversationId, hrFake.RobotReplies[0].RobotCode, hrFake.RobotReplies[0].Text));
        Assert.Equal(("cidMain", OpenApiKeys.AppKey, "from main"), (Assert.Single(_fake.RobotReplies).ConversationId, _fake.RobotReplies[0].RobotCode, _fake.RobotReplies[0].Text));
    }

    [Fact]
    public void AddDingGen_registers_the_sender_once_and_keeps_a_user_registration()
    {
        var services = new ServiceCollection();
        services.AddDingGenCore();
        services.AddDingGenCore();
        Assert.Single(services, d => d.ServiceType == typeof(IDingRobotReplySender));

        var custom = new ServiceCollection();
        custom.AddSingleton<IDingRobotReplySender, NoReplies>();
        custom.AddDingGenCore();
        using var provider = custom.BuildServiceProvider();
        Assert.IsType<NoReplies>(provider.GetRequiredService<IDingRobotReplySender>());
    }

    private static DingRobotMessage Parse(string json) =>
        JsonSerializer.Deserialize(json, DingRobotJsonContext.Default.DingRobotMessage)!;

    private Host StartHost(bool withOpenApi)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:AppKey"] = OpenApiKeys.AppKey,
            ["DingGen:AppSecret"] = OpenApiKeys.AppSecret,
            ["DingGen:OpenApi:BaseAddress"] = _fake.BaseAddress.ToString(),
            ["DingGen:OpenApi:RetryBaseDelay"] = "00:00:00",
        }).Build();
        var services = new ServiceCollection();
        var logs = new FakeLogCollector();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(_time);
        var builder = services.AddDingGen(configuration.GetSection("DingGen"));
        if (withOpenApi)
        {
            builder.AddDingTalkClient();
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new Host(provider, logs);
    }

    private sealed class Host(ServiceProvider provider, FakeLogCollector logs) : IAsyncDisposable
    {
        public IDingRobotReplySender Sender { get; } = provider.GetRequiredService<IDingRobotReplySender>();

        public FakeLogCollector Logs => logs;

        public string LogText() => global::DingGen.Tests.Shared.LogText.Of(logs);

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }

    private sealed class NoReplies : IDingRobotReplySender
    {
        public Task SendAsync(DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
