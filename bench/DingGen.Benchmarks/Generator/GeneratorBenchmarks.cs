using BenchmarkDotNet.Attributes;
using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Benchmarks.Generator;

/// <summary>
/// The DingGen generator's own time over a hermetic compilation with 10, 100 and 1,000 handlers (ten per class, one
/// tag each, plus <see cref="HermeticCompilation.UnrelatedFiles"/> ordinary files):
/// <list type="bullet">
/// <item><b>Cold</b>: a new driver and a new compilation over pre-parsed trees, i.e. a full build (metadata references warm,
/// as in the compiler server).</item>
/// <item><b>After an unrelated edit</b>: the driver that already ran on the compilation, run again after one ordinary file
/// was replaced (what the IDE does on a keystroke outside any handler).</item>
/// </list>
/// </summary>
/// <remarks>An operation takes tens to hundreds of milliseconds, so fewer iterations than the dispatch suites.</remarks>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(8)]
public class GeneratorBenchmarks
{
    private SyntaxTree[] _trees = null!;
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warmDriver = null!;
    private SyntaxTree _unrelated = null!;
    private SyntaxTree _unrelatedEdited = null!;

    /// <summary>How many <c>[DingEvent]</c> handlers the compilation has.</summary>
    [Params(10, 100, 1000)]
    public int Handlers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var trees = new List<SyntaxTree> { HermeticCompilation.Parse(HermeticCompilation.SharedSource(), "Shared.cs") };
        for (var c = 0; c * HermeticCompilation.HandlersPerClass < Handlers; c++)
        {
            var count = Math.Min(HermeticCompilation.HandlersPerClass, Handlers - (c * HermeticCompilation.HandlersPerClass));
            trees.Add(HermeticCompilation.Parse(HermeticCompilation.HandlerSource(c, count), $"Handlers{c:D3}.cs"));
        }

        for (var u = 0; u < HermeticCompilation.UnrelatedFiles; u++)
        {
            trees.Add(HermeticCompilation.Parse(HermeticCompilation.UnrelatedSource(u, version: 0), $"Service{u:D2}.cs"));
        }

        _trees = [.. trees];
        _unrelated = _trees[^1];
        _unrelatedEdited = HermeticCompilation.Parse(HermeticCompilation.UnrelatedSource(HermeticCompilation.UnrelatedFiles - 1, version: 1), _unrelated.FilePath);
        _compilation = HermeticCompilation.Create(_trees);
        _warmDriver = CreateDriver(trackSteps: false).RunGenerators(_compilation);
        GeneratorSanity.Check(_compilation, _unrelated, _unrelatedEdited, Handlers);
    }

    [Benchmark(Description = "Cold (new driver, full run)")]
    public GeneratorDriver Cold() => CreateDriver(trackSteps: false).RunGenerators(HermeticCompilation.Create(_trees));

    [Benchmark(Description = "After an unrelated edit (driver reused)")]
    public GeneratorDriver AfterUnrelatedEdit() => _warmDriver.RunGenerators(_compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited));

    internal static GeneratorDriver CreateDriver(bool trackSteps) =>
        CSharpGeneratorDriver.Create(
            [new DingEventGenerator().AsSourceGenerator()],
            parseOptions: HermeticCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
