using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests.Robots;

/// <summary>MapDingRobot and MapDingCardCallback on real Kestrel: the header signature, bad input, handlers' answers, logs and metrics.</summary>
public sealed class RobotEndpointTests
{
    private const int Timeout = 60_000;
    private const string AppSecret = "RobotAppSecret-3b9e2f71c4d8a6";
    private const string HrSecret = "HrRobotSecret-a41c7e09b3";
    private const string RobotPath = "/dingtalk/robot";
    private const string CardPath = "/dingtalk/card";

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact(Timeout = Timeout)]
    public async Task A_signed_robot_message_runs_the_handlers_of_every_module_and_sends_their_replies_in_order()
    {
        await using var fixture = await Fixture.StartAsync();
        fixture.Second.RobotHandler = static _ => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText("second module"));
        fixture.Dispatcher.RobotHandler = static context => ValueTask.FromResult<DingRobotReply?>(
            DingRobotReply.FromMarkdown("Approval", "**pi-42** is " + context.Message.TextContent!.Split(' ')[0]));

        var response = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-ok"));

        Assert.True(response.Status == HttpStatusCode.OK, response.Body + fixture.Host.AllLogText());
        Assert.Equal("{}", response.Body);
        Assert.Equal("application/json", response.ContentType);
        var context = Assert.Single(fixture.Dispatcher.RobotRuns);
        Assert.Single(fixture.Second.RobotRuns);
        Assert.Equal("msg-ok", context.Message.MsgId);
        Assert.Equal("dingrobot0001", context.Message.RobotCode);
        Assert.True(context.Message.IsGroup);
        Assert.Equal("status pi-42 " + InteractionSamples.TextMarker, context.Message.TextContent);
        Assert.Equal(DingDeliveryChannel.HttpPush, context.Channel);
        Assert.Null(context.AppName);
        Assert.Equal(Now, context.ReceivedAt);
        Assert.Same(fixture.Clock, context.TimeProvider);
        Assert.Equal(
            ["Markdown \"Approval\"", "Text"],
            fixture.Sender.Sent.Select(static s => s.Reply.ToString()).ToArray());
        Assert.All(fixture.Sender.Sent, static s => Assert.Equal("msg-ok", s.Message.MsgId));
        Assert.Equal("**pi-42** is status", fixture.Sender.Sent.First().Reply.Text);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_timestamp_more_than_an_hour_off_in_either_direction_is_refused_401_without_running_a_handler(int direction)
    {
        await using var fixture = await Fixture.StartAsync();
        var at = Now + (TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)) * direction;

        var robot = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage(), signedAt: at);
        var card = await fixture.PostAsync(CardPath, InteractionSamples.CardCallback(), signedAt: at);

        AssertError(robot, HttpStatusCode.Unauthorized, 900131);
        AssertError(card, HttpStatusCode.Unauthorized, 900131);
        Assert.Empty(fixture.Dispatcher.RobotRuns);
        Assert.Empty(fixture.Dispatcher.CardRuns);
        Assert.Contains(fixture.Host.Logs.GetSnapshot(), static r => r.Id.Name == "InteractionRejected" && r.Message.Contains("more than one hour", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_timestamp_just_inside_the_hour_is_accepted()
    {
        await using var fixture = await Fixture.StartAsync();

        var response = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage(), signedAt: Now - TimeSpan.FromMinutes(59));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Single(fixture.Dispatcher.RobotRuns);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_wrong_signature_is_refused_403_and_missing_headers_401()
    {
        await using var fixture = await Fixture.StartAsync();
        var timestamp = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var wrongSecret = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage(), secret: "not-the-app-secret");
        var garbage = await fixture.SendAsync(RobotPath, InteractionSamples.RobotMessage(), timestamp, "%%%not base64");
        var noHeaders = await fixture.SendAsync(CardPath, InteractionSamples.CardCallback(), null, null);
        var noSign = await fixture.SendAsync(RobotPath, InteractionSamples.RobotMessage(), timestamp, null);
        var noTimestamp = await fixture.SendAsync(CardPath, InteractionSamples.CardCallback(), null, Sign(AppSecret, timestamp));
        var badTimestamp = await fixture.SendAsync(RobotPath, InteractionSamples.RobotMessage(), "yesterday", Sign(AppSecret, "yesterday"));

        AssertError(wrongSecret, HttpStatusCode.Forbidden, 900132);
        AssertError(garbage, HttpStatusCode.Forbidden, 900132);
        AssertError(noHeaders, HttpStatusCode.Unauthorized, 900130);
        AssertError(noSign, HttpStatusCode.Unauthorized, 900130);
        AssertError(noTimestamp, HttpStatusCode.Unauthorized, 900130);
        AssertError(badTimestamp, HttpStatusCode.Unauthorized, 900131);
        Assert.Empty(fixture.Dispatcher.RobotRuns);
        Assert.Empty(fixture.Dispatcher.CardRuns);
        Assert.DoesNotContain(AppSecret, fixture.Host.AllLogText(), StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(RobotPath, "not json")]
    [InlineData(RobotPath, "[1,2]")]
    [InlineData(RobotPath, """{"msgtype":"text","text":{"content":"no id"}}""")]
    [InlineData(RobotPath, """{"msgId":"m1","msgtype":"text","isInAtList":"maybe"}""")]
    [InlineData(RobotPath, """{"msgId":"m1","msgtype":"text"} trailing""")]
    [InlineData(RobotPath, "")]
    [InlineData(CardPath, """{"userId":"u1","content":"{}"}""")]
    [InlineData(CardPath, """{"outTrackId":"c1","content":{"cardPrivateData":{}}}""")]
    [InlineData(CardPath, "null")]
    public async Task A_signed_body_that_is_not_a_message_is_refused_400_without_running_a_handler(string path, string body)
    {
        await using var fixture = await Fixture.StartAsync();

        var response = await fixture.PostAsync(path, body);

        AssertError(response, HttpStatusCode.BadRequest, 900133);
        Assert.Empty(fixture.Dispatcher.RobotRuns);
        Assert.Empty(fixture.Dispatcher.CardRuns);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_failing_robot_handler_is_answered_500_logged_by_name_and_the_other_modules_replies_are_still_sent()
    {
        await using var fixture = await Fixture.StartAsync();
        fixture.Dispatcher.RobotHandler = static _ => throw new InvalidOperationException("approval service down");
        fixture.Second.RobotHandler = static _ => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText("still here"));
        var meterFactory = fixture.Host.Services.GetRequiredService<IMeterFactory>();
        using var deliveries = new MetricCollector<long>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.deliveries");

        var response = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-fail"));

        AssertError(response, HttpStatusCode.InternalServerError, 900105);
        Assert.Equal("still here", Assert.Single(fixture.Sender.Sent).Reply.Text);
        var failure = Assert.Single(fixture.Host.Logs.GetSnapshot(), static r => r.Id.Name == "HandlerFailed");
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains(TestInteractionDispatcher.RobotHandlerName, failure.Message, StringComparison.Ordinal);
        Assert.Contains("robot_message (msg-fail)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not redelivered", failure.Message, StringComparison.Ordinal);
        var measurement = Assert.Single(deliveries.GetMeasurementSnapshot());
        Assert.Equal("robot_message", measurement.Tags["dinggen.event_type"]);
        Assert.Equal("http_push", measurement.Tags["dinggen.channel"]);
        Assert.Equal("failed", measurement.Tags["dinggen.outcome"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_reply_that_cannot_be_sent_is_logged_clearly_and_the_next_reply_is_still_sent()
    {
        await using var fixture = await Fixture.StartAsync();
        fixture.Dispatcher.RobotHandler = static _ => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText(RecordingReplySender.FailMarker));
        fixture.Second.RobotHandler = static _ => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText("second"));

        var response = await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-reply"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("second", Assert.Single(fixture.Sender.Sent).Reply.Text);
        var log = Assert.Single(fixture.Host.Logs.GetSnapshot(), static r => r.Id.Name == "RobotReplyFailed");
        Assert.Contains("Robot reply 1 of 2 (Text) to message msg-reply", log.Message, StringComparison.Ordinal);
        Assert.Contains("the session webhook expired", log.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Card_updates_of_every_module_are_merged_in_handler_order_into_the_response()
    {
        await using var fixture = await Fixture.StartAsync();
        fixture.Dispatcher.CardHandler = static context => ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate()
            .Set("status", "pending")
            .Set("approval", context.Callback.Params["approval"])
            .SetPrivate(context.Callback.UserId!, "note", "first"));
        fixture.Second.CardHandler = static context => ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate()
            .Set("status", "reminded")
            .SetPrivate(context.Callback.UserId!, "note", "reminder sent"));

        var response = await fixture.PostAsync(CardPath, InteractionSamples.CardCallback("card-7", "remind"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            """{"cardData":{"cardParamMap":{"approval":"pi-42","status":"reminded"}},"privateData":{"manager7":{"cardParamMap":{"note":"reminder sent"}}}}""",
            response.Body);
        var context = Assert.Single(fixture.Dispatcher.CardRuns);
        Assert.Equal("card-7", context.Callback.OutTrackId);
        Assert.Equal(["remind"], context.Callback.ActionIds);
        Assert.Equal(DingDeliveryChannel.HttpPush, context.Channel);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_card_callback_without_an_update_is_answered_an_empty_object_and_a_failing_card_handler_500()
    {
        await using var fixture = await Fixture.StartAsync();

        var none = await fixture.PostAsync(CardPath, InteractionSamples.CardCallback());
        fixture.Second.CardHandler = static _ => throw new TimeoutException("reminder service slow");
        fixture.Dispatcher.CardHandler = static _ => ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate().Set("status", "x"));
        var failed = await fixture.PostAsync(CardPath, InteractionSamples.CardCallback());

        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Equal("{}", none.Body);
        AssertError(failed, HttpStatusCode.InternalServerError, 900105);
        Assert.Contains(fixture.Host.Logs.GetSnapshot(), static r => r.Id.Name == "HandlerFailed" && r.Message.Contains(TestInteractionDispatcher.CardHandlerName, StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_named_app_verifies_with_its_own_AppSecret_and_its_handlers_see_its_name()
    {
        await using var fixture = await Fixture.StartAsync(named: true);

        var own = await fixture.PostAsync("/hr/robot", InteractionSamples.RobotMessage("msg-hr"), secret: HrSecret);
        var defaultSecret = await fixture.PostAsync("/hr/robot", InteractionSamples.RobotMessage("msg-hr2"), secret: AppSecret);
        var card = await fixture.PostAsync("/hr/card", InteractionSamples.CardCallback(), secret: HrSecret);

        Assert.Equal(HttpStatusCode.OK, own.Status);
        AssertError(defaultSecret, HttpStatusCode.Forbidden, 900132);
        Assert.Equal(HttpStatusCode.OK, card.Status);
        Assert.Equal("hr", Assert.Single(fixture.Dispatcher.RobotRuns).AppName);
        Assert.Equal("hr", Assert.Single(fixture.Dispatcher.CardRuns).AppName);
    }

    [Fact(Timeout = Timeout)]
    public async Task Deliveries_are_logged_and_counted_as_robot_message_and_card_callback_without_any_user_text_or_secret()
    {
        await using var fixture = await Fixture.StartAsync();
        var meterFactory = fixture.Host.Services.GetRequiredService<IMeterFactory>();
        using var deliveries = new MetricCollector<long>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.deliveries");
        using var duration = new MetricCollector<double>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.delivery.duration");
        fixture.Second.MsgTypeFilter = "picture";
        fixture.Dispatcher.MsgTypeFilter = "picture";

        await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-unhandled"));
        fixture.Dispatcher.MsgTypeFilter = null;
        await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-handled"));
        await fixture.PostAsync(CardPath, InteractionSamples.CardCallback("card-9"));

        var measurements = deliveries.GetMeasurementSnapshot();
        Assert.Equal(
            ["robot_message/unhandled", "robot_message/handled", "card_callback/handled"],
            measurements.Select(static m => m.Tags["dinggen.event_type"] + "/" + m.Tags["dinggen.outcome"]).ToArray());
        Assert.All(measurements, static m => Assert.Equal("http_push", m.Tags["dinggen.channel"]));
        Assert.Equal(3, duration.GetMeasurementSnapshot().Count);
        var logs = fixture.Host.Logs.GetSnapshot();
        Assert.Contains(logs, static r => r.Id.Name == "InteractionUnhandled" && r.Message.Contains("msgtype text, robot dingrobot0001", StringComparison.Ordinal));
        Assert.Contains(logs, static r => r.Id.Name == "DeliveryCompleted" && r.Message.Contains("robot_message (msg-handled)", StringComparison.Ordinal) && r.Message.Contains("handled", StringComparison.Ordinal));
        Assert.Contains(logs, static r => r.Id.Name == "DeliveryCompleted" && r.Message.Contains("card_callback (card-9)", StringComparison.Ordinal));
        var text = fixture.Host.AllLogText();
        Assert.DoesNotContain(InteractionSamples.TextMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("SESSION-SECRET-77", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Observers_see_robot_and_card_deliveries()
    {
        var observer = new RecordingObserver();
        await using var fixture = await Fixture.StartAsync(services: s => s.AddSingleton<IDingDeliveryObserver>(observer));

        await fixture.PostAsync(RobotPath, InteractionSamples.RobotMessage("msg-seen"));
        await fixture.PostAsync(CardPath, InteractionSamples.CardCallback("card-seen"));

        Assert.Equal(
            ["http_push robot_message msg-seen Handled", "http_push card_callback card-seen Handled"],
            observer.Records.Select(static r => $"{r.Channel} {r.EventType} {r.EventId} {r.Outcome}").ToArray());
    }

    [Fact]
    public void Mapping_needs_handlers_of_the_kind_and_the_AppSecret_at_start_up()
    {
        var settings = Settings();
        var noCards = CallbackHost.Build(settings, configureServices: b => b.Services.AddSingleton<IDingInteractionDispatcher>(new TestInteractionDispatcher(robots: true, cards: false)));
        var error = Assert.Throws<InvalidOperationException>(() => noCards.MapDingCardCallback(CardPath));
        Assert.Contains("[DingCardCallback]", error.Message, StringComparison.Ordinal);
        noCards.MapDingRobot(RobotPath);

        settings.Remove("DingGen:AppSecret");
        var noSecret = CallbackHost.Build(settings, configureServices: b => b.Services.AddSingleton<IDingInteractionDispatcher>(new TestInteractionDispatcher()));
        noSecret.MapDingRobot(RobotPath);
        var validation = Assert.Throws<OptionsValidationException>(() => noSecret.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(string.Empty));
        Assert.Contains("DingGen:AppSecret is required because a robot or card endpoint is mapped", validation.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:AppSecret"] = AppSecret;
        settings["Hr:AppSecret"] = HrSecret;
        settings["Hr:AppKey"] = "dinghrrobot0000app";
        return settings;
    }

    private static void AssertError(Response response, HttpStatusCode status, int errorCode)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("application/json", response.ContentType);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(errorCode, json.RootElement.GetProperty("errcode").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("errmsg").GetString()));
    }

    /// <summary>DingTalk's header signature, computed here without the production code.</summary>
    private static string Sign(string secret, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));

    private sealed record Response(HttpStatusCode Status, string Body, string? ContentType);

    private sealed class RecordingObserver : IDingDeliveryObserver
    {
        public List<DingDeliveryRecord> Records { get; } = new();

        public void OnDelivered(DingDeliveryRecord record)
        {
            lock (Records)
            {
                Records.Add(record);
            }
        }
    }

    private sealed class Fixture : IAsyncDisposable
    {
        private Fixture(CallbackHost host, TestInteractionDispatcher dispatcher, TestInteractionDispatcher second, RecordingReplySender sender, FakeTimeProvider clock)
        {
            Host = host;
            Dispatcher = dispatcher;
            Second = second;
            Sender = sender;
            Clock = clock;
        }

        public CallbackHost Host { get; }

        public TestInteractionDispatcher Dispatcher { get; }

        /// <summary>A second module, registered after <see cref="Dispatcher"/>.</summary>
        public TestInteractionDispatcher Second { get; }

        public RecordingReplySender Sender { get; }

        public FakeTimeProvider Clock { get; }

        public static async Task<Fixture> StartAsync(bool named = false, Action<IServiceCollection>? services = null)
        {
            var clock = new FakeTimeProvider(Now);
            var dispatcher = new TestInteractionDispatcher();
            var second = new TestInteractionDispatcher();
            var sender = new RecordingReplySender();
            var host = await CallbackHost.StartAsync(
                Settings(),
                configureServices: b =>
                {
                    b.Services.AddSingleton<TimeProvider>(clock);
                    b.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDingInteractionDispatcher>(dispatcher));
                    b.Services.AddSingleton<IDingInteractionDispatcher>(second);
                    b.Services.AddSingleton<IDingRobotReplySender>(sender);
                    if (named)
                    {
                        b.Services.AddDingGen("hr", b.Configuration.GetSection("Hr"));
                    }

                    services?.Invoke(b.Services);
                },
                map: app =>
                {
                    app.MapDingRobot(RobotPath);
                    app.MapDingCardCallback(CardPath);
                    if (named)
                    {
                        app.MapDingRobot("/hr/robot", "hr");
                        app.MapDingCardCallback("/hr/card", "hr");
                    }
                });
            return new Fixture(host, dispatcher, second, sender, clock);
        }

        public Task<Response> PostAsync(string path, string body, DateTimeOffset? signedAt = null, string secret = AppSecret)
        {
            var timestamp = (signedAt ?? Now).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            return SendAsync(path, body, timestamp, Sign(secret, timestamp));
        }

        public async Task<Response> SendAsync(string path, string body, string? timestamp, string? sign)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (timestamp is not null)
            {
                request.Headers.Add("timestamp", timestamp);
            }

            if (sign is not null)
            {
                request.Headers.TryAddWithoutValidation("sign", sign);
            }

            using var response = await Host.Client.SendAsync(request);
            return new Response(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
        }
    }
}
