using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>DING006: an event type that is empty, whitespace, null or not a constant string; the generator skips it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidEventTypeAnalyzer : EventTagAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InvalidEventTypeAnalyzer()
        : base(DiagnosticDescriptors.InvalidEventType)
    {
    }

    private protected override Finding? Describe(IMethodSymbol method, EventTagUse use, EventCatalog catalog, CancellationToken cancellationToken) =>
        use.Status == EventTagStatus.Invalid ? new Finding(null, HandlerEvents.GetArgumentText(use, cancellationToken)) : null;
}
