using System.Collections.Immutable;
using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers.Tests;

/// <summary>
/// The generator and the analyzers share one handler rule, so they cannot disagree: the generated dispatcher calls a
/// handler exactly when no DING003/DING004 is reported on it.
/// </summary>
/// <remarks>
/// Two payloads are shown with <c>JsonElement</c> and <c>ReadOnlyMemory&lt;byte&gt;</c>: the generator recognises catalogue
/// records by their assembly (DingGen), so against the test's stand-in catalogue it would take a record for a DI service.
/// </remarks>
public sealed class GeneratorAgreementTests
{
    private const string Handlers = Verify.Usings + """
        public interface IClock { }

        public class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void OkStatic(BpmsInstanceChange e) { }

            [DingEvent("bpms_task_change")]
            public Task OkInstance(BpmsTaskChange e, IClock? clock, CancellationToken ct) => Task.CompletedTask;

            [DingEvent("user_add_org"), DingEvent("user_leave_org")]
            internal ValueTask OkShared(DingUserChangeEvent e, DingEventContext context) => default;

            [DingEvent("org_dept_create")]
            public static void OkRaw(JsonElement e) { }

            [DingEvent("bpms_instance_change")]
            private static void BadPrivate(BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static void BadGeneric<T>(BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static int BadReturn(BpmsInstanceChange e) => 0;

            [DingEvent("bpms_instance_change")]
            public static void BadRef(in BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static void BadTwoPayloads(JsonElement e, ReadOnlyMemory<byte> raw) { }

            private sealed class Hidden
            {
                [DingEvent("bpms_instance_change")]
                public static void BadHidden(BpmsInstanceChange e) { }
            }
        }

        public abstract class AbstractHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void BadAbstract(BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static void OkStaticOnAbstract(BpmsInstanceChange e) { }
        }

        file sealed class FileHandlers
        {
            [DingEvent("bpms_instance_change")]
            public static void BadFileLocal(BpmsInstanceChange e) { }
        }
        """;

    [Fact]
    public async Task Generator_calls_exactly_the_handlers_without_DING003_or_DING004()
    {
        var compilation = CSharpCompilation.Create(
            "AgreementTest",
            new[] { CSharpSyntaxTree.ParseText(Handlers, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Handlers.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var driver = CSharpGeneratorDriver.Create(new DingEventGenerator()).RunGenerators(compilation);
        var generated = string.Concat(driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));

        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HandlerSignatureAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var rejected = diagnostics
            .Where(d => d.Id is DiagnosticDescriptors.HandlerNotCallableId or DiagnosticDescriptors.HandlerNotReachableId)
            .Select(d => d.Location.SourceTree!.GetRoot().FindToken(d.Location.SourceSpan.Start).ValueText)
            .ToHashSet(StringComparer.Ordinal);

        var names = new[]
        {
            "OkStatic", "OkInstance", "OkShared", "OkRaw", "OkStaticOnAbstract",
            "BadPrivate", "BadGeneric", "BadReturn", "BadRef", "BadTwoPayloads", "BadHidden", "BadAbstract", "BadFileLocal",
        };
        foreach (var name in names)
        {
            var called = generated.Contains("." + name + "(", StringComparison.Ordinal);
            Assert.True(called != rejected.Contains(name), $"{name}: called by the generator = {called}, rejected by the analyzer = {rejected.Contains(name)}");
            Assert.Equal(name.StartsWith("Ok", StringComparison.Ordinal), called);
        }
    }

    private const string InteractionHandlers = Verify.Usings + """
        public interface IClock { }

        public class Bot
        {
            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
            public Task<DingRobotReply?> OkText(DingRobotMessage message, IClock clock, CancellationToken ct) => Task.FromResult<DingRobotReply?>(null);

            [DingRobotMessage(MsgType = "txt")]
            public static void OkUnknownMsgType(DingRobotMessage message) { }

            [DingCardCallback(ActionId = "approve")]
            public static DingCardUpdate? OkCard(DingCardCallbackContext context) => null;

            [DingRobotMessage]
            public static void BadCardPayload(DingCardCallback callback) { }

            [DingCardCallback]
            public static void BadEventPayload(BpmsInstanceChange e) { }

            [DingRobotMessage]
            public static DingCardUpdate? BadReturn(DingRobotMessage message) => null;

            [DingRobotMessage]
            public static void BadTwoMessages(DingRobotMessage first, DingRobotMessage second) { }

            [DingCardCallback]
            public static void BadGeneric<T>(DingCardCallback callback) { }

            [DingCardCallback]
            private static void BadPrivate(DingCardCallback callback) { }

            [DingRobotMessage]
            [DingEvent("bpms_instance_change")]
            public static void BadMixed(DingRobotMessage message) { }

            [DingRobotMessage, DingCardCallback]
            public static void BadBothInteractions() { }
        }
        """;

    [Fact]
    public async Task Generator_calls_exactly_the_robot_and_card_handlers_without_errors_from_the_analyzers()
    {
        var compilation = CSharpCompilation.Create(
            "InteractionAgreementTest",
            new[] { CSharpSyntaxTree.ParseText(InteractionHandlers, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Bot.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var driver = CSharpGeneratorDriver.Create(new DingEventGenerator()).RunGenerators(compilation);
        var generated = string.Concat(driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));

        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HandlerSignatureAnalyzer(), new InteractionAttributeAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var rejected = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Location.SourceTree!.GetRoot().FindToken(d.Location.SourceSpan.Start).Parent!
                .AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First().Identifier.ValueText)
            .ToHashSet(StringComparer.Ordinal);

        var names = new[]
        {
            "OkText", "OkUnknownMsgType", "OkCard",
            "BadCardPayload", "BadEventPayload", "BadReturn", "BadTwoMessages", "BadGeneric", "BadPrivate", "BadMixed", "BadBothInteractions",
        };
        foreach (var name in names)
        {
            var called = generated.Contains("." + name + "(", StringComparison.Ordinal);
            Assert.True(called != rejected.Contains(name), $"{name}: called by the generator = {called}, rejected by the analyzers = {rejected.Contains(name)}");
            Assert.Equal(name.StartsWith("Ok", StringComparison.Ordinal), called);
        }

        // An unknown message type is a warning: the handler is still dispatched (DingTalk may add the type).
        Assert.Contains(diagnostics, d => d.Id == DiagnosticDescriptors.UnknownRobotMessageTypeId && d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(
            new[] { "DING003", "DING003", "DING004", "DING009", "DING009", "DING010", "DING011", "DING011", "DING012" },
            diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }
}
