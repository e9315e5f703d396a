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

    /// <summary>The hint names the generator may produce; any other is a test failure.</summary>
    public static readonly IReadOnlyList<string> HintNames = new[]
    {
        Generator.Emitting.DispatchEmitter.HintName,
        Generator.Emitting.EventTagsEmitter.HintName,
        Generator.Emitting.RegistrationEmitter.HintName,
    };

    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        generalDiagnosticOption: ReportDiagnostic.Default);

    public static CSharpCompilation CreateCompilationNamed(string assemblyName, params string[] sources) =>
        CSharpCompilation.Create(assemblyName, ParseAll(sources), References.Value, CompilationOptions);

    /// <summary>A compilation over the framework reference assemblies only: no DingGen.dll, no Microsoft.Extensions.</summary>
    public static CSharpCompilation CreateCompilationWithoutRuntime(params string[] sources) =>
        CSharpCompilation.Create("TestAssembly", ParseAll(sources), Net100.References.All, CompilationOptions);

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: path);

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

    /// <summary>The generated files of <paramref name="result"/>, by hint name in ordinal order, with their text.</summary>
    public static IReadOnlyList<(string HintName, string Text)> Sources(GeneratorRunResult result) =>
        result.GeneratedSources
            .OrderBy(static source => source.HintName, StringComparer.Ordinal)
            .Select(static source => (source.HintName, source.SourceText.ToString()))
            .ToArray();

    /// <summary>The text of the generated file <paramref name="hintName"/>.</summary>
    public static string Source(GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(source => source.HintName == hintName).SourceText.ToString();

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

    private static SyntaxTree[] ParseAll(string[] sources) =>
        sources.Select(static (source, i) => Parse(source, $"Source{i}.cs")).ToArray();

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
