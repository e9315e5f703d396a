using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace DingGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Hermetic references for analyzer tests: the .NET 10 reference assemblies from Basic.Reference.Assemblies (nothing
/// is downloaded), DingGen.dll, the Microsoft.Extensions/AspNetCore assemblies DingGen references, and, while
/// DingGen.dll has no event catalogue yet, a stand-in catalogue compiled here.
/// </summary>
internal static class TestReferences
{
    /// <summary>An empty reference set: the test framework resolves no package (and never goes to the network).</summary>
    public static readonly ReferenceAssemblies None = new("net10.0");

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Load);

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    /// <summary>Whether the tests run against the stand-in catalogue rather than DingGen.dll's own.</summary>
    public static bool UsesStandInCatalogue => typeof(DingEventAttribute).Assembly.GetType("DingGen.DingEventTypes") is null;

    private static ImmutableArray<MetadataReference> Load()
    {
        var references = new List<MetadataReference>(Net100.References.All);
        var runtime = typeof(DingEventAttribute).Assembly;
        references.Add(MetadataReference.CreateFromFile(runtime.Location));
        foreach (var name in runtime.GetReferencedAssemblies())
        {
            if (name.Name is { } simple && (simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || simple.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)))
            {
                references.Add(MetadataReference.CreateFromFile(Assembly.Load(name).Location));
            }
        }

        if (UsesStandInCatalogue)
        {
            references.Add(CompileStandInCatalogue(references));
        }

        return references.ToImmutableArray();
    }

    private static MetadataReference CompileStandInCatalogue(List<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "DingGen.StandInCatalogue",
            new[] { CSharpSyntaxTree.ParseText(StandInCatalogue.Source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("The stand-in catalogue does not compile:\n" + string.Join("\n", result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
