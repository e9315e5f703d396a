using DingGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;

namespace DingGen.Generator.Tests.Incremental;

/// <summary>Edits that must not (or must) invalidate the pipeline's cached steps (STYLE.md section 5, rule 8).</summary>
public sealed class GeneratorIncrementalTests
{
    private const string Handlers = """
        using DingGen;

        namespace Sample;

        internal sealed class ApprovalHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnChange(DingEventContext context)
            {
                System.Console.WriteLine(context.EventType);
            }
        }
        """;

    private const string HandlersPath = "Handlers.cs";

    /// <summary>Every <see cref="TrackingNames"/> constant (Roslyn tracks some internal steps of its own too).</summary>
    private static readonly string[] OurStepNames = typeof(TrackingNames).GetFields().Select(static field => (string)field.GetValue(null)!).ToArray();

    [Fact]
    public void Every_tracking_name_is_used_by_the_pipeline()
    {
        var result = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.CreateCompilation(TestSources.PayloadKinds, TestSources.RobotAndCardHandlers))
            .GetRunResult().Results.Single();
        Assert.Equal(9, OurStepNames.Length);
        Assert.All(OurStepNames, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"No step is tracked as '{name}'."));
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var (first, second) = RunTwice(Handlers, compilation => compilation.AddSyntaxTrees(
            GeneratorHarness.Parse("namespace Sample;\n\ninternal sealed class Unrelated\n{\n}\n", "Unrelated.cs")));

        IncrementalRunReasons.Of(first).ShouldBe(new(new[] { New }, new[] { New }, New, New, New));
        IncrementalRunReasons.Of(second).ShouldBe(new(new[] { Unchanged }, new[] { Cached }, Unchanged, Cached, Cached));
        AssertOutputsAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Appending_an_unrelated_member_to_the_handler_file_leaves_the_handler_unchanged()
    {
        var (_, second) = RunTwice(Handlers, compilation => Replace(compilation, Handlers.Replace(
            "    [DingEvent(",
            "    public int Unrelated => 42;\n\n    [DingEvent(",
            StringComparison.Ordinal)));

        IncrementalRunReasons.Of(second).ShouldBe(new(new[] { Unchanged }, new[] { Cached }, Unchanged, Cached, Cached));
        AssertOutputsAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Changing_a_handler_body_leaves_the_handler_unchanged()
    {
        var (_, second) = RunTwice(Handlers, compilation => Replace(compilation, Handlers.Replace(
            "System.Console.WriteLine(context.EventType);",
            "System.Console.WriteLine(context.EventId);\n        System.Console.WriteLine(context.CorpId);",
            StringComparison.Ordinal)));

        IncrementalRunReasons.Of(second).ShouldBe(new(new[] { Unchanged }, new[] { Cached }, Unchanged, Cached, Cached));
        AssertOutputsAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Adding_a_second_handler_keeps_the_first_and_adds_the_second()
    {
        var (_, second) = RunTwice(Handlers, compilation => Replace(compilation, Handlers.Replace(
            "    }\n}",
            "    }\n\n    [DingEvent(\"user_add_org\")]\n    public static void OnUser()\n    {\n    }\n}",
            StringComparison.Ordinal)));

        IncrementalRunReasons.Of(second).ShouldBe(new(new[] { Unchanged, New }, new[] { Cached, New }, Unchanged, Cached, Modified));
        var handlers = IncrementalRunReasons.Outputs(second, TrackingNames.Handlers).Select(static o => (Model.HandlerModel)o.Value).ToArray();
        Assert.Equal(new[] { "OnChange", "OnUser" }, handlers.Select(static h => h.MethodName));
    }

    [Fact]
    public void Changing_the_tag_modifies_the_handler_and_the_dispatch_model()
    {
        var (_, second) = RunTwice(Handlers, compilation => Replace(compilation, Handlers.Replace(
            "bpms_instance_change",
            "bpms_task_change",
            StringComparison.Ordinal)));

        IncrementalRunReasons.Of(second).ShouldBe(new(new[] { Modified }, new[] { Modified }, Unchanged, Cached, Modified));
    }

    [Fact]
    public void Running_twice_on_a_clone_is_entirely_cached_and_equal()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            TestSources.PayloadKinds,
            TestSources.StaticAndInstanceHandlers,
            TestSources.ServiceParameters,
            TestSources.ReturnKinds,
            TestSources.InvalidHandlers,
            TestSources.TagEscapingAndOrdering,
            TestSources.RobotAndCardHandlers,
            TestSources.InvalidInteractionHandlers);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(first);
        GeneratorAssert.RanWithoutErrors(second);

        foreach (var name in OurStepNames)
        {
            var before = IncrementalRunReasons.Outputs(first, name);
            var after = IncrementalRunReasons.Outputs(second, name);
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < after.Count; i++)
            {
                Assert.True(after[i].Reason is Cached or Unchanged, $"Step {name} output {i} ran with {after[i].Reason}");
                Assert.Equal(before[i].Value, after[i].Value);
            }
        }

        AssertOutputsAllCachedOrUnchanged(second);
        Assert.Equal(
            GeneratorHarness.Sources(first).Select(static s => s.Text),
            GeneratorHarness.Sources(second).Select(static s => s.Text));
    }

    [Fact]
    public void No_step_output_holds_symbols_syntax_or_compilations()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            TestSources.PayloadKinds,
            TestSources.StaticAndInstanceHandlers,
            TestSources.ServiceParameters,
            TestSources.InvalidHandlers,
            TestSources.RobotAndCardHandlers);
        var result = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(result);

        var walked = 0;
        foreach (var name in OurStepNames)
        {
            foreach (var (value, _) in IncrementalRunReasons.Outputs(result, name))
            {
                walked += ObjectGraph.AssertHoldsOnlyValues(value, name);
            }
        }

        Assert.True(walked > 100, $"Only {walked} objects walked: the walk does not reach the models.");
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(GeneratorHarness.Parse(source, HandlersPath));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(first);
        driver = driver.RunGenerators(edit(compilation));
        var second = driver.GetRunResult().Results.Single();
        GeneratorAssert.RanWithoutErrors(second);
        return (first, second);
    }

    private static Compilation Replace(Compilation compilation, string newSource)
    {
        var old = compilation.SyntaxTrees.Single(tree => tree.FilePath == HandlersPath);
        return compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(newSource, HandlersPath));
    }

    private static void AssertOutputsAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (var (name, steps) in result.TrackedOutputSteps)
        {
            foreach (var output in steps.SelectMany(static step => step.Outputs))
            {
                Assert.True(output.Reason is Cached or Unchanged, $"Output step {name} ran with {output.Reason}");
            }
        }
    }
}
