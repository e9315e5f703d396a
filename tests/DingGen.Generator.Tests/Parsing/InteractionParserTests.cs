using DingGen.Common;
using DingGen.Generator.Model;
using DingGen.Generator.Tests.Incremental;
using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Parsing;

/// <summary><c>InteractionParser</c> through a real compilation: the <c>Interactions</c> model asserted field by field.</summary>
public sealed class InteractionParserTests
{
    [Fact]
    public void A_robot_handler_with_filters_and_every_parameter_kind()
    {
        var model = Interactions("""
            using System.Threading;
            using System.Threading.Tasks;
            using DingGen;
            using DingGen.Events;
            using Microsoft.Extensions.DependencyInjection;

            namespace Sample;

            internal interface IStore
            {
            }

            internal sealed class Bot
            {
                [DingRobotMessage(RobotCode = "robot-1", MsgType = DingRobotMessageTypes.Text)]
                public ValueTask<DingRobotReply?> OnText(CancellationToken ct, DingRobotMessage message, IStore? store, [FromKeyedServices(3)] IStore keyed, DingRobotMessageContext context) => default;
            }
            """);

        Assert.Empty(model.CardHandlers);
        Assert.Equal(new[] { "global::Sample.Bot" }, model.HandlerClasses);
        var expected = new InteractionHandlerModel(
            InteractionKind.RobotMessage,
            "global::Sample.Bot",
            "Sample.Bot.OnText",
            "OnText",
            "global::Sample.Bot.OnText(global::System.Threading.CancellationToken,global::DingGen.Events.DingRobotMessage,global::Sample.IStore,global::Sample.IStore,global::DingGen.DingRobotMessageContext)",
            IsStatic: false,
            HandlerReturnKind.ValueTaskOfResponse,
            new[]
            {
                new ParameterModel(HandlerParameterKind.CancellationToken, PayloadKind.None, "global::System.Threading.CancellationToken", "System.Threading.CancellationToken", false, null, "ct"),
                new ParameterModel(HandlerParameterKind.Payload, PayloadKind.Typed, "global::DingGen.Events.DingRobotMessage", "DingGen.Events.DingRobotMessage", false, null, "message"),
                new ParameterModel(HandlerParameterKind.Service, PayloadKind.None, "global::Sample.IStore", "Sample.IStore", true, null, "store"),
                new ParameterModel(HandlerParameterKind.Service, PayloadKind.None, "global::Sample.IStore", "Sample.IStore", false, "3", "keyed"),
                new ParameterModel(HandlerParameterKind.Context, PayloadKind.None, "global::DingGen.DingRobotMessageContext", "DingGen.DingRobotMessageContext", false, null, "context"),
            }.ToEquatableArray(),
            MsgType: "text",
            RobotCode: "robot-1",
            ActionId: null);
        Assert.Equal(expected, Assert.Single(model.RobotHandlers));
    }

    [Fact]
    public void Card_handlers_are_ordered_by_type_then_method_and_read_every_return_shape()
    {
        var model = Interactions("""
            using System.Threading.Tasks;
            using DingGen;
            using DingGen.Events;

            namespace Sample;

            internal static class Zeta
            {
                [DingCardCallback(ActionId = "approve")]
                public static DingCardUpdate A(DingCardCallback callback) => new DingCardUpdate();
            }

            internal static class Alpha
            {
                [DingCardCallback]
                public static Task<DingCardUpdate> B(DingCardCallback callback) => Task.FromResult(new DingCardUpdate());

                [DingCardCallback]
                public static void A()
                {
                }

                [DingCardCallback]
                public static ValueTask C(DingCardCallbackContext context) => default;
            }
            """);

        Assert.Empty(model.RobotHandlers);
        Assert.Empty(model.HandlerClasses);
        Assert.Equal(
            new[] { "Sample.Alpha.A", "Sample.Alpha.B", "Sample.Alpha.C", "Sample.Zeta.A" },
            model.CardHandlers.Select(static h => h.HandlerName));
        Assert.Equal(
            new[] { HandlerReturnKind.Void, HandlerReturnKind.TaskOfResponse, HandlerReturnKind.ValueTask, HandlerReturnKind.Response },
            model.CardHandlers.Select(static h => h.ReturnKind));
        Assert.Equal(new string?[] { null, null, null, "approve" }, model.CardHandlers.Select(static h => h.ActionId));
        Assert.All(model.CardHandlers, static h => Assert.Null(h.MsgType));
    }

    [Fact]
    public void A_handler_the_rule_rejects_is_not_in_the_model()
    {
        var model = Interactions("""
            using DingGen;
            using DingGen.Events;

            namespace Sample;

            internal static class Bad
            {
                [DingRobotMessage]
                public static DingCardUpdate? WrongReturn(DingRobotMessage message) => null;

                [DingCardCallback]
                public static void WrongParameter(DingRobotMessage message)
                {
                }

                [DingRobotMessage]
                public static void Fine(DingRobotMessage message)
                {
                }
            }
            """);

        Assert.Equal("Sample.Bad.Fine", Assert.Single(model.RobotHandlers).HandlerName);
        Assert.Empty(model.CardHandlers);
    }

    private static InteractionsModel Interactions(string source)
    {
        var result = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.CreateCompilation(source))
            .GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(result);
        return (InteractionsModel)IncrementalRunReasons.Outputs(result, TrackingNames.Interactions).Single().Value;
    }
}
