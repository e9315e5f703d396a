using System.Collections.Immutable;
using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.Common;
using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers.Tests;

/// <summary>
/// One test per rule in src/Common, run through both the generator and the analyzers over the same compilation, showing
/// they agree: what the generator routes, decodes or resolves is exactly what the analyzers accept.
/// </summary>
public sealed class SharedRuleAgreementTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new UnknownEventTypeAnalyzer(),
        new InvalidEventTypeAnalyzer(),
        new DuplicateEventTypeAnalyzer(),
        new HandshakeEventHandlerAnalyzer(),
        new HandlerSignatureAnalyzer());

    [Fact]
    public async Task Tag_reading_routes_exactly_the_tags_no_analyzer_rejects()
    {
        var run = await RunAsync("""
            public static class Handlers
            {
                [DingEvent("user_add_org"), DingEvent("  "), DingEvent("bpms_task_change"), DingEvent("user_add_org"), DingEvent("check_url")]
                public static void On(JsonElement e) { }
            }
            """);

        Assert.Equal(new[] { "bpms_task_change", "user_add_org" }, run.RoutedTags);
        Assert.Equal(new[] { "DING006", "DING007", "DING008" }, run.Ids);
    }

    [Fact]
    public async Task Handshake_events_come_from_the_catalogue_marks_for_both()
    {
        var run = await RunAsync("""
            public static class Handlers
            {
                [DingEvent("check_suite_license_code"), DingEvent("org_dept_create")]
                public static void On(JsonElement e) { }
            }
            """);

        Assert.Equal(new[] { "org_dept_create" }, run.RoutedTags);
        Assert.Equal(new[] { "DING008" }, run.Ids);
    }

    [Fact]
    public async Task Custom_event_reading_rejects_blank_tags_for_both()
    {
        var run = await RunAsync("""
            [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]
            [assembly: DingCustomEvent("   ", typeof(CrmCustomerChange))]

            public sealed record CrmCustomerChange(string? CustomerId);

            public static class Handlers
            {
                [DingEvent("crm_customer_change")]
                public static void OnKnown(CrmCustomerChange e) { }

                [DingEvent("   ")]
                public static void OnBlank(CrmCustomerChange e) { }
            }
            """);

        // The declared event is known to the analyzers and decoded by the generator; the blank one is neither.
        Assert.Equal(new[] { "crm_customer_change" }, run.RoutedTags);
        Assert.Contains("DecodePayload(context, _crmCustomerChangePayload)", run.Generated, StringComparison.Ordinal);
        Assert.Equal(new[] { "DING006" }, run.Ids);
    }

    [Fact]
    public async Task Custom_payload_rule_makes_the_parameter_a_payload_only_for_its_own_event()
    {
        var run = await RunAsync("""
            [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

            public sealed record CrmCustomerChange(string? CustomerId);

            public static class Handlers
            {
                [DingEvent("crm_customer_change")]
                public static void OnOwn(CrmCustomerChange e) { }

                [DingEvent("bpms_task_change")]
                public static void OnOther(CrmCustomerChange e) { }
            }
            """);

        // Own event: decoded by the generator, accepted by the analyzers. Another event: the generator would resolve it
        // from DI, and the analyzers report exactly that handler (DING002).
        Assert.Contains("global::Handlers.OnOwn(crmCustomerChange);", run.Generated, StringComparison.Ordinal);
        Assert.Contains("var e = GetRequiredService<global::CrmCustomerChange>(services);", run.Generated, StringComparison.Ordinal);
        Assert.Equal(new[] { "DING002" }, run.Ids);
        Assert.Equal("OnOther", Assert.Single(run.Diagnostics).Location.SourceTree!.GetRoot()
            .FindToken(run.Diagnostics[0].Location.SourceSpan.Start).Parent!.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()!.Identifier.ValueText);
    }

    [Fact]
    public async Task Catalogue_record_test_is_the_same_for_both()
    {
        var run = await RunAsync("""
            namespace DingGen.Events.Mine
            {
                public sealed record LookAlike(string? Id);
            }

            public static class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public static void OnRecord(BpmsInstanceChange e) { }

                [DingEvent("bpms_instance_change")]
                public static void OnLookAlike(DingGen.Events.Mine.LookAlike e) { }
            }
            """);

        // The catalogue's record is the payload for both; a look-alike outside the catalogue's assembly is a DI service for both.
        Assert.Contains("global::Handlers.OnRecord(bpmsInstanceChange);", run.Generated, StringComparison.Ordinal);
        Assert.Contains("var e = GetRequiredService<global::DingGen.Events.Mine.LookAlike>(services);", run.Generated, StringComparison.Ordinal);
        Assert.Empty(run.Ids);
        Assert.True(HandlerShapeRules.IsCatalogueRecord(run.Compilation.GetBestTypeByMetadataName("DingGen.Events.BpmsInstanceChange")!));
        Assert.False(HandlerShapeRules.IsCatalogueRecord(run.Compilation.GetBestTypeByMetadataName("DingGen.Events.Mine.LookAlike")!));
    }

    [Fact]
    public async Task Type_lookup_survives_a_duplicate_declaration_in_another_reference()
    {
        // An internal copy of the runtime's attribute and dispatcher contract in another assembly (a polyfill): the raw
        // look-up gives up, the shared one finds the runtime's types, and both the generator and the analyzers still run.
        var polyfill = CSharpCompilation.Create(
            "Polyfill",
            new[] { CSharpSyntaxTree.ParseText("namespace DingGen { internal sealed class DingEventAttribute : System.Attribute { } internal interface IDingEventDispatcher { } }") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        Assert.True(polyfill.Emit(stream).Success);
        var reference = MetadataReference.CreateFromImage(stream.ToArray());

        var run = await RunAsync(
            """
            public static class Handlers
            {
                [DingEvent("bpms_instanse_change")]
                public static void On(JsonElement e) { }
            }
            """,
            reference);

        Assert.Null(run.Compilation.GetTypeByMetadataName(KnownNames.DingEventAttribute));
        Assert.NotNull(run.Compilation.GetBestTypeByMetadataName(KnownNames.DingEventAttribute));
        Assert.Equal(new[] { "bpms_instanse_change" }, run.RoutedTags);
        Assert.Equal(new[] { "DING001" }, run.Ids);
    }

    private static async Task<Run> RunAsync(string source, params MetadataReference[] extra)
    {
        var compilation = CSharpCompilation.Create(
            "AgreementTest",
            new[] { CSharpSyntaxTree.ParseText(Verify.Usings + source, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Handlers.cs") },
            TestReferences.All.AddRange(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var driver = CSharpGeneratorDriver.Create(new DingEventGenerator()).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var generated = string.Concat(result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.SourceText.ToString()));
        var routed = GeneratedTags(result);

        var diagnostics = (await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync())
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();
        return new Run(compilation, generated, routed, diagnostics, diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The tags of the generated <c>DingEventTags.All</c>, read from its source.</summary>
    private static string[] GeneratedTags(GeneratorRunResult result) =>
        result.GeneratedSources.Single(s => s.HintName == "DingGen.EventTags.g.cs").SyntaxTree.GetRoot()
            .DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InitializerExpressionSyntax)
            .Select(l => l.Token.ValueText)
            .ToArray();

    private sealed record Run(Compilation Compilation, string Generated, IReadOnlyList<string> RoutedTags, Diagnostic[] Diagnostics, string[] Ids);
}
