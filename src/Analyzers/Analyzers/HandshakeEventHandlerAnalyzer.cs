using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// DING008: a handler of an event the catalogue marks as a handshake (<c>Handshake = true</c>: <c>check_url</c> and the
/// suite checks). The endpoint answers those itself, so the handler would never run; the generator skips it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandshakeEventHandlerAnalyzer : EventTagAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(DiagnosticDescriptors.HandshakeEventHandler);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Analyze(SymbolAnalysisContext context, IMethodSymbol method, EventTagUse use, EventCatalog catalog)
    {
        if (use.Status == EventTagStatus.Handshake)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HandshakeEventHandler,
                HandlerEvents.GetArgumentLocation(use, context.CancellationToken),
                use.Tag));
        }
    }
}
