using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Benchmarks.Generator;

/// <summary>
/// Hermetic compilations for the generator benchmarks, built the way tests/DingGen.Generator.Tests builds them:
/// .NET 10 reference assemblies, DingGen.dll and the Microsoft.Extensions assemblies the generated code uses.
/// </summary>
internal static class HermeticCompilation
{
    public const string AssemblyName = "Bench.App";

    public const int HandlersPerClass = 10;

    public const int UnrelatedFiles = 20;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    private static readonly string[] TagPrefixes =
    [
        "bpms_instance", "user_org", "org_dept", "chat", "attendance_check", "crm_customer", "todo_task", "hrm_employee",
    ];

    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(AssemblyName, trees, References, Options);

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>The event tag of handler <paramref name="index"/>: every handler has its own tag, of varied length.</summary>
    public static string Tag(int index) =>
        TagPrefixes[index % TagPrefixes.Length] + "_change_" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The payload record and the singleton the handlers write to.</summary>
    public static string SharedSource() =>
        """
        using System.Threading;
        using System.Threading.Tasks;

        namespace Bench.App;

        public sealed record ApprovalEvent(string EventType, string ProcessInstanceId, string CorpId, long CreateTime, string Title, string? Result);

        public sealed class Sink
        {
            public ApprovalEvent? Last { get; private set; }

            public Task Accept(ApprovalEvent payload, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Last = payload;
                return Task.CompletedTask;
            }
        }
        """;

    /// <summary>Handler class <paramref name="classIndex"/>: up to <see cref="HandlersPerClass"/> instance handlers, one tag each.</summary>
    public static string HandlerSource(int classIndex, int handlerCount)
    {
        var builder = new StringBuilder()
            .AppendLine("using System.Threading;")
            .AppendLine("using System.Threading.Tasks;")
            .AppendLine("using DingGen;")
            .AppendLine()
            .AppendLine("namespace Bench.App.Handlers;")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"public sealed class Handlers{classIndex:D3}(Bench.App.Sink sink)")
            .AppendLine("{");
        for (var i = 0; i < handlerCount; i++)
        {
            var index = (classIndex * HandlersPerClass) + i;
            builder
                .AppendLine(CultureInfo.InvariantCulture, $"    [DingEvent(\"{Tag(index)}\")]")
                .AppendLine(CultureInfo.InvariantCulture, $"    public Task On{index:D4}([DingPayload] Bench.App.ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>")
                .AppendLine("        sink.Accept(payload, cancellationToken);")
                .AppendLine();
        }

        return builder.AppendLine("}").ToString();
    }

    /// <summary>An ordinary class with no handlers; <paramref name="version"/> changes a method body (the "unrelated edit").</summary>
    public static string UnrelatedSource(int index, int version) =>
        $$"""
        namespace Bench.App.Services;

        public sealed class Service{{index:D2}}
        {
            private int _calls;

            public int Compute(int value)
            {
                _calls++;
                return (value * {{version + 3}}) + _calls;
            }
        }
        """;

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

        return [.. references];
    }
}
