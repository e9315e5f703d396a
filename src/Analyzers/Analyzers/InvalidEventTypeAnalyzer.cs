using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>DING006: an event type that is empty, whitespace, null or not a constant string; the generator skips it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidEventTypeAnalyzer : EventTagAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(DiagnosticDescriptors.InvalidEventType);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Analyze(SymbolAnalysisContext context, IMethodSymbol method, EventTagUse use, EventCatalog catalog)
    {
        if (use.Status == EventTagStatus.Invalid)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidEventType,
                HandlerEvents.GetArgumentLocation(use, context.CancellationToken),
                HandlerEvents.GetArgumentText(use, context.CancellationToken)));
        }
    }
}
