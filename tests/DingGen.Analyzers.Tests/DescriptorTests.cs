using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers.Tests;

/// <summary>Every descriptor has a unique const ID, a help page, a release-tracking row and an analyzer that reports it.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void Ids_are_unique_and_match_their_consts()
    {
        var consts = typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Id", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        var ids = Descriptors().Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();

        Assert.Equal(consts, ids);
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_has_help_page_release_row_and_analyzer(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var root = RepositoryRoot();

        Assert.Equal(HelpLinks.BaseUrl + id + ".md", descriptor.HelpLinkUri);
        Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
        Assert.Contains(descriptor.Category, new[] { DiagnosticCategories.Usage, DiagnosticCategories.Design });
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.False(descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture).EndsWith('.'));

        var unshipped = File.ReadAllLines(Path.Combine(root, "src", "Analyzers", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        var row = unshipped.SingleOrDefault(line => line.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.NotNull(row);
        Assert.Equal($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", row![..row.LastIndexOf('|')].TrimEnd() + " |");

        DiagnosticAnalyzer[] analyzers =
        [
            new UnknownEventTypeAnalyzer(), new InvalidEventTypeAnalyzer(), new DuplicateEventTypeAnalyzer(), new HandshakeEventHandlerAnalyzer(),
            new HandlerSignatureAnalyzer(), new PayloadJsonContextAnalyzer(), new InteractionAttributeAnalyzer(),
        ];
        Assert.Single(analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == id));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    // Not [CallerFilePath]: CI builds (ContinuousIntegrationBuild) map source paths to /_/.
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DingGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DingGen.sln not found above " + AppContext.BaseDirectory);
    }
}
