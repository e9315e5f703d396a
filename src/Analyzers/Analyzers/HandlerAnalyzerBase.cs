using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// The skeleton every DingGen analyzer shares: generated code is skipped, execution is concurrent, and at compilation
/// start <c>DingEventAttribute</c> is resolved once (nothing runs without it) and the catalogue is taken from the
/// per-compilation cache (<see cref="EventCatalogReader.GetOrRead"/>), so all analyzers of a compilation read it once.
/// </summary>
public abstract class HandlerAnalyzerBase : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var eventAttribute = start.Compilation.GetBestTypeByMetadataName(KnownNames.DingEventAttribute);
            if (eventAttribute is not null)
            {
                Start(start, new HandlerAnalysis(eventAttribute, EventCatalogReader.GetOrRead(start.Compilation)));
            }
        });
    }

    /// <summary>Registers the analyzer's actions for a compilation that references the runtime.</summary>
    private protected abstract void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis);
}

/// <summary>What every analyzer of one compilation shares: the <c>[DingEvent]</c> attribute and the catalogue.</summary>
internal sealed class HandlerAnalysis
{
    public HandlerAnalysis(INamedTypeSymbol eventAttribute, EventCatalog catalog)
    {
        EventAttribute = eventAttribute;
        Catalog = catalog;
    }

    public INamedTypeSymbol EventAttribute { get; }

    public EventCatalog Catalog { get; }
}

/// <summary>
/// An analyzer of one rule about the tags of each <c>[DingEvent]</c> method: it judges each attribute with the shared rule
/// (<see cref="EventTagRules"/>) and reports its one descriptor on the attribute's argument when <see cref="Describe"/>
/// finds something.
/// </summary>
public abstract class EventTagAnalyzer : HandlerAnalyzerBase
{
    private readonly DiagnosticDescriptor _descriptor;

    private protected EventTagAnalyzer(DiagnosticDescriptor descriptor)
    {
        _descriptor = descriptor;
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    private protected sealed override void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis) =>
        context.RegisterSymbolAction(
            symbol =>
            {
                var method = (IMethodSymbol)symbol.Symbol;
                foreach (var use in HandlerEvents.Read(method, analysis.EventAttribute, analysis.Catalog, symbol.CancellationToken))
                {
                    if (Describe(method, use, analysis.Catalog, symbol.CancellationToken) is { } finding)
                    {
                        symbol.ReportDiagnostic(Diagnostic.Create(
                            _descriptor,
                            HandlerEvents.GetArgumentLocation(use, symbol.CancellationToken),
                            finding.Properties,
                            finding.Arguments));
                    }
                }
            },
            SymbolKind.Method);

    /// <summary>What this rule finds wrong with one attribute of <paramref name="method"/>, or null.</summary>
    private protected abstract Finding? Describe(IMethodSymbol method, EventTagUse use, EventCatalog catalog, CancellationToken cancellationToken);

    /// <summary>The message arguments and properties of one diagnostic.</summary>
    private protected sealed class Finding
    {
        public Finding(ImmutableDictionary<string, string?>? properties, params object?[] arguments)
        {
            Properties = properties;
            Arguments = arguments;
        }

        public ImmutableDictionary<string, string?>? Properties { get; }

        public object?[] Arguments { get; }
    }
}
