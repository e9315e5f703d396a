using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.CodeFixes;

/// <summary>DING002: changes the payload parameter's type to the type that fits every event of the method.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PayloadTypeCodeFixProvider)), Shared]
public sealed class PayloadTypeCodeFixProvider : DingCodeFixProvider
{
    // One title for every type (the message names it), so Fix All applies them all.
    private const string Title = "Take the payload type that fits the events";

    /// <summary>Creates the provider.</summary>
    public PayloadTypeCodeFixProvider()
        : base(DiagnosticDescriptors.PayloadMismatchId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Properties.TryGetValue(DiagnosticProperties.FittingType, out var fitting) && fitting is not null
            && NodeAt(root, diagnostic) is TypeSyntax typeSyntax
            ? Fix(Title, ct => CodeFixHelpers.ChangeTypeAsync(document, typeSyntax, fitting, ct))
            : NoFix();
}
