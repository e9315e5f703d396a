using System.Text;
using DingGen.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Runtime.Tests.Robots;

/// <summary>The pipeline's robot and card entry points without any web host, the JSON they read and write, and the stream dedupe memory.</summary>
public sealed class InteractionPipelineTests
{
    private const string Robot = """{"msgId":"m-1","msgtype":"text","text":{"content":" hello "},"robotCode":"dingbot","conversationType":"1","newField":7}""";

    [Fact(Timeout = 30_000)]
    public async Task A_throwing_dispatcher_is_a_failure_not_an_exception_and_a_missing_reply_sender_does_not_throw()
    {
        await using var services = Build(new ThrowingDispatcher(), new ReplyingDispatcher());
        var pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        Assert.True(DingInteractionJson.TryReadRobotMessage(Encoding.UTF8.GetBytes(Robot), out var message, out _));

        var robot = await pipeline.DeliverRobotMessageAsync(message!, DingDeliveryChannel.Stream, "ops");
        var card = await pipeline.DeliverCardCallbackAsync(new DingCardCallback { OutTrackId = "t-1" }, DingDeliveryChannel.Stream);

        Assert.Equal(DingDispatchStatus.Failed, robot.Status);
        Assert.True(Assert.Single(robot.Failures).IsDispatcherFailure);
        Assert.Equal("robot_message", robot.Failures[0].EventType);
        Assert.Equal(DingDispatchStatus.Failed, card.Dispatch.Status);
        Assert.Equal("card_callback", card.Dispatch.Failures[0].EventType);
        Assert.Equal("v", card.Update!.CardParams["k"]);
        Assert.True(pipeline.InteractionRouter.HandlesRobotMessages);
    }

    [Fact]
    public void Robot_messages_are_read_with_DingTalks_field_names_and_unknown_fields_kept()
    {
        Assert.True(DingInteractionJson.TryReadRobotMessage(Encoding.UTF8.GetBytes(Robot), out var message, out var error));

        Assert.Null(error);
        Assert.Equal(("m-1", "text", "dingbot", "hello"), (message!.MsgId, message.MsgType, message.RobotCode, message.TextContent));
        Assert.Equal(7, message.ExtensionData!["newField"].GetInt32());
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("\"text\"", "not a JSON object")]
    [InlineData("{\"msgId\":", "not valid JSON")]
    [InlineData("{\"msgId\":\"m\"}", "msgId and msgtype")]
    [InlineData("{\"msgId\":1,\"msgtype\":\"text\"}", "wrong type")]
    public void Unreadable_robot_messages_are_refused_with_a_reason_that_never_quotes_them(string json, string reason)
    {
        Assert.False(DingInteractionJson.TryReadRobotMessage(Encoding.UTF8.GetBytes(json), out var message, out var error));

        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(DingInteractionJson.TryReadRobotMessage([0x7B, 0xFF, 0x7D], out _, out var utf8));
        Assert.Contains("UTF-8", utf8, StringComparison.Ordinal);
    }

    [Fact]
    public void Card_updates_are_written_in_DingTalks_response_shape()
    {
        var update = new DingCardUpdate().Set("b", "2").Set("a", "\"quoted\"").SetPrivate("u2", "x", "y").SetPrivate("u1", "z", "w");

        Assert.Equal(
            """{"cardData":{"cardParamMap":{"a":"\u0022quoted\u0022","b":"2"}},"privateData":{"u1":{"cardParamMap":{"z":"w"}},"u2":{"cardParamMap":{"x":"y"}}}}""",
            Encoding.UTF8.GetString(DingInteractionJson.WriteCardUpdate(update)));
        Assert.Equal("{}", Encoding.UTF8.GetString(DingInteractionJson.WriteCardUpdate(null)));
        Assert.Equal("""{"privateData":{"u1":{"cardParamMap":{"k":"v"}}}}""", Encoding.UTF8.GetString(DingInteractionJson.WriteCardUpdate(new DingCardUpdate().SetPrivate("u1", "k", "v"))));
        Assert.Equal("""{"response":null}""", DingInteractionJson.WriteStreamResponse(new DingCardUpdate()));
        Assert.Equal("""{"response":{"cardData":{"cardParamMap":{"k":"v"}}}}""", DingInteractionJson.WriteStreamResponse(new DingCardUpdate().Set("k", "v")));
    }

    [Fact]
    public void Recent_ids_are_remembered_for_the_window_and_up_to_the_capacity()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new DingRecentIds(time, TimeSpan.FromMinutes(10), capacity: 3);

        Assert.True(ids.TryAdd("a"));
        Assert.False(ids.TryAdd("a"));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(ids.TryAdd("a"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(ids.TryAdd("a"));

        Assert.True(ids.TryAdd("b"));
        Assert.True(ids.TryAdd("c"));
        Assert.True(ids.TryAdd("d"));
        Assert.Equal(3, ids.Count);
        Assert.True(ids.TryAdd("a"));
        Assert.False(ids.TryAdd("d"));
    }

    private static ServiceProvider Build(params IDingInteractionDispatcher[] dispatchers)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDingGenCore();
        foreach (var dispatcher in dispatchers)
        {
            services.AddSingleton(dispatcher);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private sealed class ThrowingDispatcher : IDingInteractionDispatcher
    {
        public bool HandlesRobotMessages => true;

        public bool HandlesCardCallbacks => true;

        public ValueTask<DingInteractionResult<DingRobotReply>> DispatchRobotMessageAsync(DingRobotMessageContext context) =>
            throw new InvalidOperationException("generated code bug");

        public ValueTask<DingInteractionResult<DingCardUpdate>> DispatchCardCallbackAsync(DingCardCallbackContext context) =>
            ValueTask.FromResult(DingInteractionResult<DingCardUpdate>.Completed([new DingHandlerFailure("Cards.OnAction", "card_callback", new TimeoutException())], null));
    }

    private sealed class ReplyingDispatcher : IDingInteractionDispatcher
    {
        public bool HandlesRobotMessages => true;

        public bool HandlesCardCallbacks => true;

        public ValueTask<DingInteractionResult<DingRobotReply>> DispatchRobotMessageAsync(DingRobotMessageContext context) =>
            ValueTask.FromResult(DingInteractionResult<DingRobotReply>.Completed(null, [DingRobotReply.FromText("hi")]));

        public ValueTask<DingInteractionResult<DingCardUpdate>> DispatchCardCallbackAsync(DingCardCallbackContext context) =>
            ValueTask.FromResult(DingInteractionResult<DingCardUpdate>.Completed(null, [new DingCardUpdate().Set("k", "v")]));
    }
}
