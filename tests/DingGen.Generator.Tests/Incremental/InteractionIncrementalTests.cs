using DingGen.Generator.Model;
using DingGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;

namespace DingGen.Generator.Tests.Incremental;

/// <summary>The robot and card steps are cached like the event steps: an unrelated edit re-runs nothing after the parse.</summary>
public sealed class InteractionIncrementalTests
{
    private const string Handlers = """
        using DingGen;
        using DingGen.Events;

        namespace Sample;

        internal sealed class Bot
        {
            [DingRobotMessage(MsgType = "text")]
            public DingRobotReply? OnText(DingRobotMessage message)
            {
                return null;
            }

            [DingCardCallback(ActionId = "approve")]
            public static void OnApprove(DingCardCallback callback)
            {
            }
        }
        """;

    private const string HandlersPath = "Bot.cs";

    [Fact]
    public void Adding_an_unrelated_file_leaves_the_robot_and_card_steps_cached()
    {
        var (first, second) = RunTwice(compilation => compilation.AddSyntaxTrees(
            GeneratorHarness.Parse("namespace Sample;\n\ninternal sealed class Unrelated\n{\n}\n", "Unrelated.cs")));

        Assert.Equal(new[] { New }, Reasons(first, TrackingNames.ParsedRobotHandlers));
        Assert.Equal(new[] { New }, Reasons(first, TrackingNames.ParsedCardHandlers));
        Assert.Equal(new[] { New }, Reasons(first, TrackingNames.Interactions));

        Assert.Equal(new[] { Unchanged }, Reasons(second, TrackingNames.ParsedRobotHandlers));
        Assert.Equal(new[] { Unchanged }, Reasons(second, TrackingNames.ParsedCardHandlers));
        Assert.Equal(new[] { Cached }, Reasons(second, TrackingNames.Interactions));
        AssertOutputsCachedOrUnchanged(second);
    }

    [Fact]
    public void Changing_a_handler_body_leaves_the_robot_steps_unchanged()
    {
        var (_, second) = RunTwice(compilation => Replace(compilation, Handlers.Replace("return null;", "return DingRobotReply.FromText(message.MsgId, []);", StringComparison.Ordinal)));

        Assert.Equal(new[] { Unchanged }, Reasons(second, TrackingNames.ParsedRobotHandlers));
        Assert.Equal(new[] { Cached }, Reasons(second, TrackingNames.Interactions));
        AssertOutputsCachedOrUnchanged(second);
    }

    [Fact]
    public void Changing_a_filter_modifies_the_parse_and_the_model()
    {
        var (_, second) = RunTwice(compilation => Replace(compilation, Handlers.Replace("MsgType = \"text\"", "MsgType = \"picture\"", StringComparison.Ordinal)));

        Assert.Equal(new[] { Modified }, Reasons(second, TrackingNames.ParsedRobotHandlers));
        Assert.Equal(new[] { Unchanged }, Reasons(second, TrackingNames.ParsedCardHandlers));
        Assert.Equal(new[] { Modified }, Reasons(second, TrackingNames.Interactions));
        var model = (InteractionsModel)IncrementalRunReasons.Outputs(second, TrackingNames.Interactions).Single().Value;
        Assert.Equal("picture", model.RobotHandlers[0].MsgType);
    }

    [Fact]
    public void Adding_a_robot_handler_adds_one_new_parse()
    {
        var (_, second) = RunTwice(compilation => compilation.AddSyntaxTrees(GeneratorHarness.Parse(
            "using DingGen;\nusing DingGen.Events;\n\nnamespace Sample;\n\ninternal static class More\n{\n    [DingRobotMessage]\n    public static void OnAny(DingRobotMessage message)\n    {\n    }\n}\n",
            "More.cs")));

        Assert.Equal(new[] { Unchanged, New }, Reasons(second, TrackingNames.ParsedRobotHandlers));
        Assert.Equal(new[] { Modified }, Reasons(second, TrackingNames.Interactions));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step) =>
        IncrementalRunReasons.Outputs(result, step).Select(static output => output.Reason).ToArray();

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(GeneratorHarness.Parse(Handlers, HandlersPath));
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

    private static void AssertOutputsCachedOrUnchanged(GeneratorRunResult result)
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
