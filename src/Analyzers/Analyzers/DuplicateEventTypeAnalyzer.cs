using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>DING007: a method names the same event type twice; the repeat has no effect.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateEventTypeAnalyzer : EventTagAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public DuplicateEventTypeAnalyzer()
        : base(DiagnosticDescriptors.DuplicateEventType)
    {
    }

    private protected override Finding? Describe(IMethodSymbol method, EventTagUse use, EventCatalog catalog, CancellationToken cancellationToken) =>
        use.Status == EventTagStatus.Duplicate ? new Finding(null, method.Name, use.Tag) : null;
}
