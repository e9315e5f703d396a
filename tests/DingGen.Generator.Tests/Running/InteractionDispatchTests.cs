using System.Collections.Concurrent;
using System.Reflection;
using DingGen.Events;
using DingGen.Generator.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Generator.Tests.Running;

/// <summary>
/// The generated robot and card dispatch, compiled in memory, loaded and run against a real service provider built from the
/// generated registration: filters, the stable order, responses collected in order, failures isolated and named.
/// </summary>
public sealed class InteractionDispatchTests
{
    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        namespace Sample;

        internal sealed class Bot
        {
            private readonly ConcurrentQueue<string> _log;

            public Bot(ConcurrentQueue<string> log) => _log = log;

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
            public async ValueTask<DingRobotReply?> B_Text(DingRobotMessage message, CancellationToken cancellationToken)
            {
                _log.Enqueue("Bot.B_Text" + (cancellationToken.CanBeCanceled ? " (cancellable)" : string.Empty));
                await Task.Yield();
                return DingRobotReply.FromText("text:" + message.TextContent, []);
            }

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text, RobotCode = "robot-a")]
            public DingRobotReply A_RobotA(DingRobotMessage message)
            {
                _log.Enqueue("Bot.A_RobotA");
                return DingRobotReply.FromText("robot-a", []);
            }

            [DingRobotMessage]
            public void C_Throws(DingRobotMessageContext context)
            {
                _log.Enqueue("Bot.C_Throws " + context.Message.MsgId);
                throw new InvalidOperationException("boom");
            }

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Picture)]
            public static DingRobotReply? D_Picture(ConcurrentQueue<string> log)
            {
                log.Enqueue("Bot.D_Picture");
                return DingRobotReply.FromText("picture", []);
            }
        }

        internal static class Another
        {
            [DingRobotMessage]
            public static Task<DingRobotReply?> Z_Any(DingRobotMessage message, ConcurrentQueue<string> log)
            {
                log.Enqueue("Another.Z_Any");
                return Task.FromResult<DingRobotReply?>(null);
            }
        }

        internal sealed class Cards
        {
            [DingCardCallback(ActionId = "approve")]
            public DingCardUpdate OnApprove(DingCardCallback callback, ConcurrentQueue<string> log)
            {
                log.Enqueue("Cards.OnApprove " + callback.Params["id"]);
                return new DingCardUpdate().Set("state", "approved");
            }

            [DingCardCallback(ActionId = "approve")]
            public static ValueTask<DingCardUpdate?> OnApproveAudit(DingCardCallbackContext context, ConcurrentQueue<string> log)
            {
                log.Enqueue("Cards.OnApproveAudit");
                throw new TimeoutException("audit down");
            }

            [DingCardCallback(ActionId = "reject")]
            public Task<DingCardUpdate?> OnReject(ConcurrentQueue<string> log)
            {
                log.Enqueue("Cards.OnReject");
                return Task.FromResult<DingCardUpdate?>(new DingCardUpdate().Set("state", "rejected"));
            }
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(() =>
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source));
        GeneratorAssert.CompilesCleanly(result, output);
        return GeneratorHarness.Load(output);
    });

    [Fact]
    public async Task Robot_handlers_run_filtered_in_order_with_replies_collected_and_failures_isolated()
    {
        var (services, log) = Services();
        using var cancellation = new CancellationTokenSource();
        var dispatcher = services.GetRequiredService<IDingInteractionDispatcher>();
        Assert.True(dispatcher.HandlesRobotMessages);
        Assert.True(dispatcher.HandlesCardCallbacks);

        var message = new DingRobotMessage { MsgId = "m1", MsgType = "text", RobotCode = "robot-a", Text = new DingRobotText { Content = " status 42 " } };
        var result = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(message, services) { CancellationToken = cancellation.Token });

        // Ordinal by type (Sample.Another < Sample.Bot), then by method; D_Picture's msgtype filter does not match.
        Assert.Equal(new[] { "Another.Z_Any", "Bot.A_RobotA", "Bot.B_Text (cancellable)", "Bot.C_Throws m1" }, log);
        Assert.Equal(new[] { "robot-a", "text:status 42" }, result.Responses.Select(static reply => reply.Text));
        Assert.Equal(DingDispatchStatus.Failed, result.Dispatch.Status);
        var failure = Assert.Single(result.Dispatch.Failures);
        Assert.Equal("Sample.Bot.C_Throws", failure.HandlerName);
        Assert.Equal("robot_message", failure.EventType);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(failure.Exception).Message);
    }

    [Fact]
    public async Task Robot_code_and_msgtype_filters_compare_ordinally()
    {
        var (services, log) = Services();
        var dispatcher = services.GetRequiredService<IDingInteractionDispatcher>();

        var other = new DingRobotMessage { MsgId = "m2", MsgType = "text", RobotCode = "ROBOT-A", Text = new DingRobotText { Content = "hi" } };
        var result = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(other, services));
        Assert.Equal(new[] { "Another.Z_Any", "Bot.B_Text", "Bot.C_Throws m2" }, log);
        Assert.Equal(new[] { "text:hi" }, result.Responses.Select(static reply => reply.Text));

        log.Clear();
        var picture = new DingRobotMessage { MsgId = "m3", MsgType = "picture" };
        result = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(picture, services));
        Assert.Equal(new[] { "Another.Z_Any", "Bot.C_Throws m3", "Bot.D_Picture" }, log);
        Assert.Equal(new[] { "picture" }, result.Responses.Select(static reply => reply.Text));

        log.Clear();
        var upper = new DingRobotMessage { MsgId = "m4", MsgType = "Text", Text = new DingRobotText { Content = "hi" } };
        result = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(upper, services));
        Assert.Equal(new[] { "Another.Z_Any", "Bot.C_Throws m4" }, log);
        Assert.Empty(result.Responses);
    }

    [Fact]
    public async Task Card_handlers_run_by_action_id_with_updates_in_order_and_failures_isolated()
    {
        var (services, log) = Services();
        var dispatcher = services.GetRequiredService<IDingInteractionDispatcher>();

        var approve = Callback("""{"cardPrivateData":{"actionIds":["approve"],"params":{"id":"A-7"}}}""");
        var result = await dispatcher.DispatchCardCallbackAsync(new DingCardCallbackContext(approve, services));
        Assert.Equal(new[] { "Cards.OnApprove A-7", "Cards.OnApproveAudit" }, log);
        Assert.Equal("approved", Assert.Single(result.Responses).CardParams["state"]);
        var failure = Assert.Single(result.Dispatch.Failures);
        Assert.Equal("Sample.Cards.OnApproveAudit", failure.HandlerName);
        Assert.Equal("card_callback", failure.EventType);
        Assert.IsType<TimeoutException>(failure.Exception);

        log.Clear();
        result = await dispatcher.DispatchCardCallbackAsync(new DingCardCallbackContext(Callback("""{"cardPrivateData":{"actionIds":["reject"]}}"""), services));
        Assert.Equal(new[] { "Cards.OnReject" }, log);
        Assert.Equal(DingDispatchStatus.Handled, result.Dispatch.Status);
        Assert.Equal("rejected", Assert.Single(result.Responses).CardParams["state"]);
    }

    [Fact]
    public async Task A_callback_no_handler_matches_is_not_handled_and_runs_nothing()
    {
        var (services, log) = Services();
        var dispatcher = services.GetRequiredService<IDingInteractionDispatcher>();

        var result = await dispatcher.DispatchCardCallbackAsync(new DingCardCallbackContext(Callback("""{"cardPrivateData":{"actionIds":["Approve"]}}"""), services));
        Assert.Equal(DingDispatchStatus.NotHandled, result.Dispatch.Status);
        Assert.Empty(result.Responses);
        Assert.Empty(log);

        result = await dispatcher.DispatchCardCallbackAsync(new DingCardCallbackContext(new DingCardCallback { OutTrackId = "t" }, services));
        Assert.Equal(DingDispatchStatus.NotHandled, result.Dispatch.Status);
        Assert.Empty(log);
    }

    [Fact]
    public async Task An_assembly_with_robot_handlers_only_answers_card_callbacks_not_handled()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilationNamed("RobotOnly", TestSources.FilteredStaticRobotHandlers));
        GeneratorAssert.CompilesCleanly(result, output);
        var assembly = GeneratorHarness.Load(output);
        var dispatcher = (IDingInteractionDispatcher)Activator.CreateInstance(
            assembly.GetType("DingGen.DingEventDispatcher")!,
            new DingJsonOptions(Array.Empty<System.Text.Json.Serialization.JsonSerializerContext>()))!;
        using var services = new ServiceCollection().BuildServiceProvider();

        Assert.True(dispatcher.HandlesRobotMessages);
        Assert.False(dispatcher.HandlesCardCallbacks);
        var card = dispatcher.DispatchCardCallbackAsync(new DingCardCallbackContext(new DingCardCallback(), services));
        Assert.True(card.IsCompletedSuccessfully);
        Assert.Equal(DingDispatchStatus.NotHandled, (await card).Dispatch.Status);

        var text = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(new DingRobotMessage { MsgType = "text", Text = new DingRobotText { Content = "echo" } }, services));
        Assert.Equal(new[] { "echo" }, text.Responses.Select(static reply => reply.Text));
        var none = await dispatcher.DispatchRobotMessageAsync(new DingRobotMessageContext(new DingRobotMessage { MsgType = "file" }, services));
        Assert.Equal(DingDispatchStatus.NotHandled, none.Dispatch.Status);
    }

    private static DingCardCallback Callback(string content) => new() { OutTrackId = "track-1", Content = content };

    /// <summary>The services of a host that registered the compiled assembly's module, and the log its handlers write.</summary>
    private static (ServiceProvider Services, ConcurrentQueue<string> Log) Services()
    {
        var log = new ConcurrentQueue<string>();
        var collection = new ServiceCollection();
        collection.AddSingleton(log);
        collection.AddLogging();
        var module = Compiled.Value.GetType("DingGen.TestAssemblyDingModule")!;
        module.GetMethod("Register")!.Invoke(null, new object[] { collection });
        return (collection.BuildServiceProvider(validateScopes: true), log);
    }

    [Fact]
    public async Task Events_named_like_the_interaction_methods_get_their_own_methods_and_still_dispatch()
    {
        const string source = """
            using System.Text.Json;
            using DingGen;
            using DingGen.Events;

            [assembly: DingCustomEvent("robot_message", typeof(JsonElement))]
            [assembly: DingCustomEvent("card_callback", typeof(JsonElement))]

            namespace Sample;

            internal static class Handlers
            {
                [DingEvent("robot_message"), DingEvent("card_callback")]
                public static void OnEvent(JsonElement payload)
                {
                }

                [DingRobotMessage]
                public static DingRobotReply OnMessage(DingRobotMessage message) => DingRobotReply.FromText("robot", []);
            }
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilationNamed("Named", source));
        GeneratorAssert.CompilesCleanly(result, output);
        var text = GeneratorHarness.Source(result, Generator.Emitting.DispatchEmitter.HintName);
        Assert.Contains("return DispatchRobotMessage2Async(context);", text, StringComparison.Ordinal);
        Assert.Contains("return DispatchCardCallback2Async(context);", text, StringComparison.Ordinal);

        var assembly = GeneratorHarness.Load(output);
        var instance = Activator.CreateInstance(
            assembly.GetType("DingGen.DingEventDispatcher")!,
            new DingJsonOptions(Array.Empty<System.Text.Json.Serialization.JsonSerializerContext>()))!;
        using var services = new ServiceCollection().BuildServiceProvider();
        var evt = await ((IDingEventDispatcher)instance).DispatchAsync(new DingEventContext("robot_message", "{}"u8.ToArray(), services));
        Assert.Equal(DingDispatchStatus.Handled, evt.Status);
        var robot = await ((IDingInteractionDispatcher)instance).DispatchRobotMessageAsync(new DingRobotMessageContext(new DingRobotMessage(), services));
        Assert.Equal("robot", Assert.Single(robot.Responses).Text);
    }
}
