using System.Runtime.CompilerServices;
using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Snapshotting;

/// <summary>
/// Every generated file of a representative set of inputs matches its approved snapshot
/// (<c>Snapshots/GeneratorSnapshotTests.{Test}#{HintName}.verified.cs</c>). The class lives outside <c>Snapshots/</c>
/// because that folder is excluded from compilation.
/// </summary>
public sealed class GeneratorSnapshotTests
{
    [Fact]
    public void NoHandlers() => Verify(TestSources.NoHandlers);

    [Fact]
    public void InstanceHandlerWithTypedPayload() => Verify(TestSources.InstanceHandlerWithTypedPayload);

    [Fact]
    public void PayloadKinds() => Verify(TestSources.PayloadKinds);

    [Fact]
    public void StaticAndInstanceHandlers() => Verify(TestSources.StaticAndInstanceHandlers);

    [Fact]
    public void ServiceParameters() => Verify(TestSources.ServiceParameters);

    [Fact]
    public void ReturnKinds() => Verify(TestSources.ReturnKinds);

    [Fact]
    public void InvalidHandlers() => Verify(TestSources.InvalidHandlers);

    [Fact]
    public void TagEscapingAndOrdering() => Verify(TestSources.TagEscapingAndOrdering);

    [Fact]
    public void NamesNeedingCare() => Verify(TestSources.NamesNeedingCare);

    [Fact]
    public void RobotAndCardHandlers() => Verify(TestSources.RobotAndCardHandlers);

    [Fact]
    public void FilteredStaticRobotHandlers() => Verify(TestSources.FilteredStaticRobotHandlers);

    [Fact]
    public void InvalidInteractionHandlers() => Verify(TestSources.InvalidInteractionHandlers);

    /// <summary>Runs the generator over <paramref name="source"/> and matches every generated file with its snapshot.</summary>
    private static void Verify(string source, [CallerMemberName] string testMethod = "")
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        GeneratorAssert.RanWithoutErrors(result);
        var sources = GeneratorHarness.Sources(result);
        Assert.Equal(GeneratorHarness.HintNames, sources.Select(static s => s.HintName));
        foreach (var (hintName, text) in sources)
        {
            GeneratorAssert.IsTidy(hintName, text);
            Snapshot.Match(nameof(GeneratorSnapshotTests), testMethod, hintName, text);
        }
    }
}
