using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Benchmarks.Generator;

/// <summary>Checks, once per benchmark process, that the measured runs do what they claim; throws otherwise.</summary>
internal static class GeneratorSanity
{
    public static void Check(CSharpCompilation compilation, SyntaxTree unrelated, SyntaxTree edited, int handlers)
    {
        var driver = GeneratorBenchmarks.CreateDriver(trackSteps: true).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } exception)
        {
            throw new InvalidOperationException("The generator threw.", exception);
        }

        if (result.GeneratedSources.Length != 3 || diagnostics.Length != 0)
        {
            throw new InvalidOperationException($"Expected 3 generated files and no diagnostics, got {result.GeneratedSources.Length} and {diagnostics.Length}.");
        }

        var dispatcher = result.GeneratedSources.Single(s => s.HintName == "DingGen.Dispatcher.g.cs").SourceText.ToString();
        var cases = dispatcher.Split("case \"").Length - 1;
        if (cases != handlers)
        {
            throw new InvalidOperationException($"The dispatcher has {cases} string cases, expected {handlers}.");
        }

        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToArray();
        if (errors.Length != 0)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }

        // After the unrelated edit, the handlers must come from the cache and no source output may be re-run.
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, edited));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var step in steps[TrackingNames.Handlers].Concat(steps[TrackingNames.Dispatch]))
        {
            foreach (var (_, reason) in step.Outputs)
            {
                if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    throw new InvalidOperationException($"Step {step.Name} re-ran after an unrelated edit: {reason}.");
                }
            }
        }

        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps;
        foreach (var step in outputs.SelectMany(s => s.Value))
        {
            foreach (var (_, reason) in step.Outputs)
            {
                if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    throw new InvalidOperationException($"Output step {step.Name} re-ran after an unrelated edit: {reason}.");
                }
            }
        }
    }
}
