using System.Net;
using DingGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests.Robots;

/// <summary>
/// The testing kit end to end, with the default reply sender: <see cref="DingTalkRobotSimulator"/> posts a signed message built by
/// <see cref="DingRobotMessageBuilder"/> to <c>MapDingRobot</c>, the handler's reply goes to <see cref="FakeDingTalkServer"/>'s session
/// webhook (or, once it expired, its robot API), and a card callback's update comes back in the answer.
/// </summary>
public sealed class RobotKitEndToEndTests
{
    private const string AppSecret = "KitAppSecret-8d1f3c5a7e";

    [Fact(Timeout = 60_000)]
    public async Task A_handlers_reply_reaches_the_fake_DingTalk_through_the_webhook_then_through_the_api_and_a_card_update_comes_back()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
        await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = TestKeys.AppKey, AppSecret = AppSecret, TimeProvider = clock });
        var dispatcher = new TestInteractionDispatcher
        {
            RobotHandler = static context => ValueTask.FromResult<DingRobotReply?>(DingRobotReply.FromText("echo " + context.Message.TextContent, context.Message.SenderStaffId!)),
            CardHandler = static context => ValueTask.FromResult<DingCardUpdate?>(new DingCardUpdate().Set("status", "reminded " + context.Callback.Params["approval"])),
        };
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:AppSecret"] = AppSecret;
        await using var host = await CallbackHost.StartAsync(
            settings,
            configureServices: b =>
            {
                b.Services.AddSingleton<TimeProvider>(clock);
                b.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDingInteractionDispatcher>(dispatcher));
                b.Services.AddDingGen(b.Configuration.GetSection("DingGen")).AddDingTalkClient(o =>
                {
                    o.BaseAddress = dingtalk.BaseAddress;
                    o.RetryBaseDelay = TimeSpan.Zero;
                });
            },
            addDefaultApp: false,
            map: app =>
            {
                app.MapDingRobot("/dingtalk/robot");
                app.MapDingCardCallback("/dingtalk/card");
            });
        var simulator = new DingTalkRobotSimulator(AppSecret, clock);
        var messages = dingtalk.CreateRobotMessageBuilder(TimeSpan.FromMinutes(30)).InGroup("cidHelpdesk", "Helpdesk").From("user42", "张三");

        var first = await simulator.PostRobotMessageAsync(host.Client, "/dingtalk/robot", messages.Text("status 42"));
        Assert.True(first.StatusCode == HttpStatusCode.OK, first.Body + host.AllLogText());

        // The next message's webhook has expired by the time its reply is sent: the robot API answers it.
        var late = messages.Text("status 43");
        clock.Advance(TimeSpan.FromMinutes(31));
        var second = await simulator.PostRobotMessageAsync(host.Client, "/dingtalk/robot", late);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var replies = await dingtalk.WaitForRobotRepliesAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal((FakeRobotReplyRoute.SessionWebhook, "cidHelpdesk", "echo status 42"), (replies[0].Route, replies[0].ConversationId, replies[0].Text));
        Assert.Equal(["user42"], replies[0].AtUserIds);
        Assert.Equal((FakeRobotReplyRoute.GroupMessage, "cidHelpdesk", "echo status 43"), (replies[1].Route, replies[1].ConversationId, replies[1].Text));

        var card = await simulator.PostCardCallbackAsync(host.Client, "/dingtalk/card", DingRobotMessageBuilder.CardCallback("card-42", "user42", ["remind"], new Dictionary<string, string> { ["approval"] = "42" }));
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.Contains("\"status\":\"reminded 42\"", card.Body, StringComparison.Ordinal);

        // A request signed with another secret is refused before any handler runs.
        var forged = await new DingTalkRobotSimulator("another-secret", clock).PostRobotMessageAsync(host.Client, "/dingtalk/robot", messages.Text("status 44"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(2, dispatcher.RobotRuns.Count);
        Assert.DoesNotContain(AppSecret, host.AllLogText(), StringComparison.Ordinal);
    }
}
