using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>DING007: a method names the same event type twice; the repeat has no effect.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateEventTypeAnalyzer : EventTagAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(DiagnosticDescriptors.DuplicateEventType);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Analyze(SymbolAnalysisContext context, IMethodSymbol method, EventTagUse use, EventCatalog catalog)
    {
        if (use.Status == EventTagStatus.Duplicate)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DuplicateEventType,
                HandlerEvents.GetArgumentLocation(use, context.CancellationToken),
                method.Name,
                use.Tag));
        }
    }
}
