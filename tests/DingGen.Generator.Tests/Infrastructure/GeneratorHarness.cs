using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Generator.Tests.Infrastructure;

/// <summary>Builds hermetic compilations (reference assemblies + DingGen + Microsoft.Extensions) and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation CreateCompilationNamed(string assemblyName, params string[] sources)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")).ToArray();
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Default));
    }

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilationNamed("TestAssembly", sources);

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new DingEventGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the generator's result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Emits <paramref name="compilation"/> and loads it in a collectible context.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        }

        stream.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        return context.LoadFromStream(stream);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var references = new List<MetadataReference>(Net100.References.All);
        var runtime = typeof(DingEventContext).Assembly;
        references.Add(MetadataReference.CreateFromFile(runtime.Location));
        foreach (var name in runtime.GetReferencedAssemblies())
        {
            if (name.Name is { } simple && (simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || simple.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)))
            {
                references.Add(MetadataReference.CreateFromFile(Assembly.Load(name).Location));
            }
        }

        return references.ToImmutableArray();
    }
}
