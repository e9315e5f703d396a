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
    /// <summary>Creates the analyzer.</summary>
    public HandshakeEventHandlerAnalyzer()
        : base(DiagnosticDescriptors.HandshakeEventHandler)
    {
    }

    private protected override Finding? Describe(IMethodSymbol method, EventTagUse use, EventCatalog catalog, CancellationToken cancellationToken) =>
        use.Status == EventTagStatus.Handshake ? new Finding(null, use.Tag) : null;
}
