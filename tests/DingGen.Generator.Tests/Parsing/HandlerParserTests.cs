using DingGen.Common;
using DingGen.Generator.Model;
using DingGen.Generator.Tests.Incremental;
using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Parsing;

/// <summary>
/// <c>HandlerParser</c> through a real compilation: the models of the tracked <c>Handlers</c>/<c>Dispatch</c> steps are
/// asserted field by field, not the generated text.
/// </summary>
public sealed class HandlerParserTests
{
    [Fact]
    public void An_instance_handler_with_every_parameter_kind()
    {
        var handler = Assert.Single(Handlers("""
            using System.Threading;
            using System.Threading.Tasks;
            using DingGen;
            using Microsoft.Extensions.DependencyInjection;

            namespace Sample;

            internal sealed record Payload(string? Id);

            internal interface IStore
            {
            }

            internal sealed class Handlers
            {
                [DingEvent("z_event")]
                [DingEvent("a_event")]
                public Task OnEvent(CancellationToken ct, [DingPayload] Payload payload, IStore store, IStore? maybe, [FromKeyedServices("k")] IStore keyed, DingEventContext context) => Task.CompletedTask;
            }
            """));

        var expected = new HandlerModel(
            new[] { "a_event", "z_event" }.ToEquatableArray(),
            "global::Sample.Handlers",
            "Sample.Handlers.OnEvent",
            "OnEvent",
            "global::Sample.Handlers.OnEvent(global::System.Threading.CancellationToken,global::Sample.Payload,global::Sample.IStore,global::Sample.IStore,global::Sample.IStore,global::DingGen.DingEventContext)",
            IsStatic: false,
            HandlerReturnKind.Task,
            new[]
            {
                new ParameterModel(HandlerParameterKind.CancellationToken, PayloadKind.None, "global::System.Threading.CancellationToken", "System.Threading.CancellationToken", false, null, "ct"),
                new ParameterModel(HandlerParameterKind.Payload, PayloadKind.Typed, "global::Sample.Payload", "Sample.Payload", false, null, "payload"),
                new ParameterModel(HandlerParameterKind.Service, PayloadKind.None, "global::Sample.IStore", "Sample.IStore", false, null, "store"),
                new ParameterModel(HandlerParameterKind.Service, PayloadKind.None, "global::Sample.IStore", "Sample.IStore", true, null, "maybe"),
                new ParameterModel(HandlerParameterKind.Service, PayloadKind.None, "global::Sample.IStore", "Sample.IStore", false, "\"k\"", "keyed"),
                new ParameterModel(HandlerParameterKind.Context, PayloadKind.None, "global::DingGen.DingEventContext", "DingGen.DingEventContext", false, null, "context"),
            }.ToEquatableArray());
        Assert.Equal(expected, handler);
    }

    [Fact]
    public void A_static_handler_keeps_distinct_valid_tags_in_ordinal_order()
    {
        var handler = Assert.Single(Handlers("""
            using System.Text.Json;
            using System.Threading.Tasks;
            using DingGen;

            namespace Sample.Nested;

            internal static class Outer
            {
                internal static class Inner
                {
                    [DingEvent("b"), DingEvent("B"), DingEvent("b")]
                    [DingEvent("check_url")]
                    [DingEvent("")]
                    [DingEvent("a")]
                    public static ValueTask OnRaw(DingEventContext context, JsonElement json) => default;
                }
            }
            """));

        Assert.Equal(new[] { "B", "a", "b" }, handler.EventTags);
        Assert.Equal("global::Sample.Nested.Outer.Inner", handler.ContainingTypeFqn);
        Assert.Equal("Sample.Nested.Outer.Inner.OnRaw", handler.HandlerName);
        Assert.True(handler.IsStatic);
        Assert.Equal(HandlerReturnKind.ValueTask, handler.ReturnKind);
        Assert.Equal(
            new[] { (HandlerParameterKind.Context, PayloadKind.None), (HandlerParameterKind.Payload, PayloadKind.JsonElement) },
            handler.Parameters.Select(static p => (p.Kind, p.PayloadKind)));
    }

    [Fact]
    public void Keyword_names_are_escaped_for_code_and_plain_for_display()
    {
        var handler = Assert.Single(Handlers("""
            using DingGen;

            namespace Sample;

            internal sealed class @class
            {
                [DingEvent("a")]
                public void @event()
                {
                }
            }
            """));

        Assert.Equal("@event", handler.MethodName);
        Assert.Equal("global::Sample.@class", handler.ContainingTypeFqn);
        Assert.Equal("Sample.class.event", handler.HandlerName);
    }

    [Theory]
    [InlineData("public void On<T>() { }")]
    [InlineData("public void On(ref int value) { }")]
    [InlineData("private void On() { } internal void Use() => On();")]
    [InlineData("public int On() => 0;")]
    [InlineData("public void On([DingPayload] MissingType payload) { }")]
    [InlineData("public void On(IMissingService service) { }")]
    [InlineData("public void On(System.Text.Json.JsonElement a, [DingPayload] string b) { }")]
    public void Handlers_the_generated_code_cannot_call_yield_no_model(string member)
    {
        var source = "using DingGen;\n\nnamespace Sample;\n\ninternal sealed class Handlers\n{\n    [DingEvent(\"a\")]\n    " + member + "\n}\n";
        var result = Run(source);
        Assert.Empty(IncrementalRunReasons.Outputs(result, TrackingNames.Handlers));
        Assert.All(IncrementalRunReasons.Outputs(result, TrackingNames.ParsedHandlers), static output => Assert.Null(output.Value));
    }

    [Fact]
    public void A_custom_event_type_turns_a_service_parameter_into_the_payload()
    {
        var result = Run("""
            using DingGen;

            [assembly: DingCustomEvent("my_event", typeof(Sample.MyPayload))]

            namespace Sample;

            internal sealed record MyPayload(string? Id);

            internal static class Handlers
            {
                [DingEvent("my_event")]
                public static void OnMine(MyPayload payload)
                {
                }

                [DingEvent("other_event")]
                public static void OnOther(MyPayload service)
                {
                }
            }
            """);

        var handlers = IncrementalRunReasons.Outputs(result, TrackingNames.Handlers).Select(static o => (HandlerModel)o.Value).ToArray();
        Assert.All(handlers, static h => Assert.Equal(HandlerParameterKind.Service, h.Parameters[0].Kind));

        var customEvents = (EquatableArray<CustomEventModel>)Assert.Single(IncrementalRunReasons.Outputs(result, TrackingNames.CustomEvents)).Value;
        Assert.Equal(new[] { new CustomEventModel("my_event", "Sample.MyPayload") }, customEvents);

        var dispatch = (DispatchModel)Assert.Single(IncrementalRunReasons.Outputs(result, TrackingNames.Dispatch)).Value;
        Assert.Equal(new[] { "my_event", "other_event" }, dispatch.Events.Select(static e => e.EventTag));
        var mine = Assert.Single(dispatch.Events[0].Invocations).Parameters[0];
        Assert.Equal((HandlerParameterKind.Payload, PayloadKind.Typed), (mine.Kind, mine.PayloadKind));
        Assert.Equal(new[] { new PayloadModel(PayloadKind.Typed, "global::Sample.MyPayload") }, dispatch.Events[0].Payloads.Select(static p => p.Payload));
        var other = Assert.Single(dispatch.Events[1].Invocations).Parameters[0];
        Assert.Equal(HandlerParameterKind.Service, other.Kind);
        Assert.True(dispatch.Events[1].NeedsScope);
        Assert.Equal(new[] { "global::Sample.MyPayload" }, dispatch.TypedPayloads.Select(static p => p.TypeFqn));
        Assert.Empty(dispatch.HandlerClasses);
    }

    [Fact]
    public void Compilation_facts_name_the_assembly_and_see_the_runtime()
    {
        var result = Run("internal sealed class C\n{\n}\n");
        var facts = (CompilationFactsModel)Assert.Single(IncrementalRunReasons.Outputs(result, TrackingNames.Facts)).Value;
        Assert.Equal("TestAssembly", facts.AssemblyName);
        Assert.True(facts.HasRuntime);
        Assert.Equal(typeof(DingEventGenerator).Assembly.GetName().Version!.ToString(), facts.GeneratorVersion);
    }

    private static IReadOnlyList<HandlerModel> Handlers(string source) =>
        IncrementalRunReasons.Outputs(Run(source), TrackingNames.Handlers).Select(static o => (HandlerModel)o.Value).ToArray();

    private static Microsoft.CodeAnalysis.GeneratorRunResult Run(string source)
    {
        var result = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.CreateCompilation(source))
            .GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(result);
        return result;
    }
}
