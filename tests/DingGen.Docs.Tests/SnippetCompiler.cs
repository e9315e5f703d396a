using System.Collections.Immutable;
using System.Text;
using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Docs.Tests;

/// <summary>
/// Compiles one documentation block the way a user's project would: the Web SDK's implicit usings, every assembly this test
/// loads (DingGen, DingGen.AspNetCore, DingGen.OpenApi, DingGen.Inbox.Sqlite, DingGen.Testing, ASP.NET Core, xunit, …), the
/// DingGen generator (so <c>AddDingEventHandlers()</c> and <c>DingEventTags.All</c> exist) and System.Text.Json's generator.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The global usings of a project on <c>Microsoft.NET.Sdk.Web</c> with <c>ImplicitUsings</c> on.</summary>
    public static readonly IReadOnlyList<string> SdkUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json", "System.Threading",
        "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>The usings a fragment gets on top of <see cref="SdkUsings"/>.</summary>
    public static readonly IReadOnlyList<string> FragmentUsings =
    [
        "DingGen", "DingGen.Events", "DingGen.Testing", "DingGen.Inbox.Sqlite", "System.Text", "System.Text.Json", "System.Text.Json.Serialization",
        "System.Diagnostics", "System.Diagnostics.Metrics", "Microsoft.Extensions.Options", "Microsoft.Extensions.Time.Testing", "Xunit",
    ];

    /// <summary>Variables every fragment may use without declaring them (a declared local of the same name wins).</summary>
    public const string Ambient = """
            private static WebApplicationBuilder builder => throw new NotSupportedException();
            private static WebApplication app => throw new NotSupportedException();
            private static IServiceCollection services => throw new NotSupportedException();
            private static IConfiguration configuration => throw new NotSupportedException();
            private static IServiceProvider serviceProvider => throw new NotSupportedException();
            private static CancellationToken cancellationToken => default;
            private static CancellationToken ct => default;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);
    private static readonly Lazy<ImmutableArray<ISourceGenerator>> Generators = new(LoadGenerators);

    /// <summary>Compiles <paramref name="block"/>; returns its errors as <c>file:line: error CSnnnn: message</c>, empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(CodeBlock block, SnippetMarker marker)
    {
        var source = marker.Mode == SnippetMode.Fragment ? WrapFragment(block, marker.Parameters) : $"#line {block.Line} \"{block.File}\"\n{block.Code}\n";
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: block.File + ".g.cs", encoding: Encoding.UTF8);
        var usings = CSharpSyntaxTree.ParseText(
            string.Concat((marker.Mode == SnippetMode.Fragment ? SdkUsings.Concat(FragmentUsings) : SdkUsings).Select(static u => $"global using global::{u};\n")),
            ParseOptions,
            path: "GlobalUsings.g.cs");
        var hasTopLevelStatements = tree.GetCompilationUnitRoot().Members.Any(static m => m is GlobalStatementSyntax);
        var compilation = CSharpCompilation.Create(
            "DocSnippet",
            [tree, usings],
            References.Value,
            new CSharpCompilationOptions(
                hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: false));

        var driver = CSharpGeneratorDriver.Create(Generators.Value, parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(static d => d.Severity == DiagnosticSeverity.Error)
            .Select(static d =>
            {
                var span = d.Location.GetMappedLineSpan();
                var where = span.IsValid ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : "(no location)";
                return $"{where}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            })
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Wraps a fragment: its <c>using</c> directives and assembly attributes first, then a class holding the ambient variables,
    /// its members (methods, fields, properties) and one method with its statements; its types after the class. Every piece keeps
    /// its Markdown line through <c>#line</c>.
    /// </summary>
    private static string WrapFragment(CodeBlock block, string parameters)
    {
        var root = CSharpSyntaxTree.ParseText(block.Code, ParseOptions).GetCompilationUnitRoot();
        var text = block.Code;
        var head = new StringBuilder();
        var members = new StringBuilder();
        var statements = new StringBuilder();
        var types = new StringBuilder();

        void Add(StringBuilder to, SyntaxNode node)
        {
            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line;
            to.Append("#line ").Append(block.Line + line).Append(" \"").Append(block.File).Append("\"\n");
            to.Append(text, node.SpanStart, node.Span.Length).Append('\n');
            to.Append("#line default\n");
        }

        foreach (var u in root.Usings)
        {
            Add(head, u);
        }

        foreach (var attribute in root.AttributeLists)
        {
            Add(head, attribute);
        }

        foreach (var member in root.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function } when function.AttributeLists.Count > 0 || function.Modifiers.Any(static m => !m.IsKind(SyntaxKind.AsyncKeyword) && !m.IsKind(SyntaxKind.StaticKeyword)):
                    Add(members, member);
                    break;
                case GlobalStatementSyntax:
                    Add(statements, member);
                    break;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax:
                    Add(types, member);
                    break;
                default:
                    Add(members, member);
                    break;
            }
        }

        // The declared variables are properties too, so statements and members (e.g. a test method) can both use them.
        var declared = string.Concat(parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(static p => $"    private static {p} => throw new NotSupportedException();\n"));
        return $$"""
            {{head}}
            public sealed partial class DocSnippet
            {
            {{Ambient}}
            {{declared}}
            {{members}}
                public async Task RunSnippetAsync()
                {
                    await Task.Yield();
            {{statements}}
                }
            }

            {{types}}
            """;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Make sure the packages the docs talk about are loaded, then reference everything the test host can load.
        _ = typeof(DingEventContext).Assembly;
        _ = typeof(DingGen.Testing.DingTalkSimulator).Assembly;
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"));
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.StartsWith("DingGen.Generator", StringComparison.Ordinal)
                || name.StartsWith("testhost", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.VisualStudio", StringComparison.Ordinal) || name == "DingGen.Docs.Tests")
            {
                continue;
            }

            byName.TryAdd(name, path);
        }

        var references = new List<MetadataReference>();
        foreach (var path in byName.Values.Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (pe.HasMetadata)
                {
                    references.Add(MetadataReference.CreateFromFile(path));
                }
            }
            catch (BadImageFormatException)
            {
                // A native library next to the managed ones.
            }
        }

        return references.ToImmutableArray();
    }

    private static ImmutableArray<ISourceGenerator> LoadGenerators()
    {
        var generators = new List<ISourceGenerator> { new DingEventGenerator().AsSourceGenerator() };

        // System.Text.Json's generator from the SDK's reference pack, so JsonSerializerContext classes in snippets are complete.
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // …/shared/Microsoft.NETCore.App/<version>
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var version = new DirectoryInfo(runtimeDir).Name;
        var stj = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref", version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        if (File.Exists(stj))
        {
            generators.AddRange(new AnalyzerFileReference(stj, new AssemblyLoader()).GetGenerators(LanguageNames.CSharp));
        }

        return generators.ToImmutableArray();
    }

    private sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
