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

/// <summary>An analyzer of the tags of each <c>[DingEvent]</c> method: it judges each attribute with the shared rule.</summary>
public abstract class EventTagAnalyzer : HandlerAnalyzerBase
{
    private protected sealed override void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis) =>
        context.RegisterSymbolAction(
            symbol =>
            {
                var method = (IMethodSymbol)symbol.Symbol;
                foreach (var use in HandlerEvents.Read(method, analysis.EventAttribute, analysis.Catalog, symbol.CancellationToken))
                {
                    Analyze(symbol, method, use, analysis.Catalog);
                }
            },
            SymbolKind.Method);

    /// <summary>Reports what is wrong with one attribute of <paramref name="method"/>, if this analyzer's rule finds anything.</summary>
    private protected abstract void Analyze(SymbolAnalysisContext context, IMethodSymbol method, EventTagUse use, EventCatalog catalog);
}
