using System.Globalization;
using DingGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.Benchmarks.Generator;

/// <summary>
/// A quick, paired measurement of the generator's incremental cost, without BenchmarkDotNet:
/// <c>dotnet run -c Release --project bench/DingGen.Benchmarks -- --generator-incremental [handlers] [rounds]</c>.
/// </summary>
/// <remarks>
/// Each round times, on the benchmark thread's CPU clock (<see cref="ThreadCpuClock"/>), back to back so that all see the
/// same machine load: one cold run (new driver, new compilation, as <see cref="GeneratorBenchmarks.Cold"/>), one run of the
/// warm driver after an unrelated edit (<see cref="GeneratorBenchmarks.AfterUnrelatedEdit"/>), and two floors after the same
/// edit: a generator that only finds the <c>[DingEvent]</c> methods with <c>ForAttributeWithMetadataName</c> (Roslyn's own
/// re-binding, which no generator using it can avoid), and one that also runs <see cref="HandlerParser.TryParse"/>.
/// Prints the medians and the ratios.
/// </remarks>
internal static class GeneratorIncrementalCost
{
    public static void Run(string[] args)
    {
        var handlers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var bench = new GeneratorBenchmarks { Handlers = handlers };
        bench.Setup();
        var (compilation, unrelated, edited) = Edit(handlers);
        var floor = Warm(new FindOnlyGenerator(), compilation);
        var parse = Warm(new ParseOnlyGenerator(), compilation);

        var cold = new List<double>();
        var warm = new List<double>();
        var floorWarm = new List<double>();
        var parseWarm = new List<double>();
        for (var round = 0; round < rounds + 3; round++)
        {
            var c = Time(() => bench.Cold());
            var w = Time(() => bench.AfterUnrelatedEdit());
            var f = Time(() => floor.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, edited)));
            var p = Time(() => parse.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, edited)));
            if (round >= 3)
            {
                cold.Add(c);
                warm.Add(w);
                floorWarm.Add(f);
                parseWarm.Add(p);
            }
        }

        Print($"handlers={handlers} rounds={rounds} (thread CPU time, medians)");
        Print($"cold (new driver, full run)               {Median(cold),8:F1} ms");
        Print($"after an unrelated edit (driver reused)   {Median(warm),8:F1} ms   {Median(warm) / Median(cold),5:P0} of cold");
        Print($"  floor: FAWMN finding the same methods   {Median(floorWarm),8:F1} ms   {Median(floorWarm) / Median(cold),5:P0} of cold");
        Print($"  floor + HandlerParser.TryParse          {Median(parseWarm),8:F1} ms   {Median(parseWarm) / Median(cold),5:P0} of cold");
        Print($"after an unrelated edit, above the floor  {Median(warm) - Median(floorWarm),8:F1} ms");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static GeneratorDriver Warm(IIncrementalGenerator generator, Compilation compilation) =>
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: HermeticCompilation.ParseOptions).RunGenerators(compilation);

    private static (CSharpCompilation Compilation, SyntaxTree Unrelated, SyntaxTree Edited) Edit(int handlers)
    {
        var trees = new List<SyntaxTree> { HermeticCompilation.Parse(HermeticCompilation.SharedSource(), "Shared.cs") };
        for (var c = 0; c * HermeticCompilation.HandlersPerClass < handlers; c++)
        {
            var count = Math.Min(HermeticCompilation.HandlersPerClass, handlers - (c * HermeticCompilation.HandlersPerClass));
            trees.Add(HermeticCompilation.Parse(HermeticCompilation.HandlerSource(c, count), $"Handlers{c:D3}.cs"));
        }

        for (var u = 0; u < HermeticCompilation.UnrelatedFiles; u++)
        {
            trees.Add(HermeticCompilation.Parse(HermeticCompilation.UnrelatedSource(u, version: 0), $"Service{u:D2}.cs"));
        }

        var unrelated = trees[^1];
        var edited = HermeticCompilation.Parse(HermeticCompilation.UnrelatedSource(HermeticCompilation.UnrelatedFiles - 1, version: 1), unrelated.FilePath);
        return (HermeticCompilation.Create(trees), unrelated, edited);
    }

    private static double Time(Action action)
    {
        var start = ThreadCpuClock.Instance.GetTimestamp();
        action();
        return (ThreadCpuClock.Instance.GetTimestamp() - start) / 1_000_000.0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>Finds <c>[DingEvent]</c> methods and does nothing else.</summary>
    private sealed class FindOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var found = context.SyntaxProvider
                .ForAttributeWithMetadataName("DingGen.DingEventAttribute", static (node, _) => node is MethodDeclarationSyntax, static (_, _) => 1)
                .Collect();
            context.RegisterSourceOutput(found, static (_, _) => { });
        }
    }

    /// <summary>Finds <c>[DingEvent]</c> methods and parses them as the generator does, nothing more.</summary>
    private sealed class ParseOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var found = context.SyntaxProvider
                .ForAttributeWithMetadataName("DingGen.DingEventAttribute", static (node, _) => node is MethodDeclarationSyntax, static (ctx, ct) => HandlerParser.TryParse(ctx, ct))
                .Collect();
            context.RegisterSourceOutput(found, static (_, _) => { });
        }
    }
}
