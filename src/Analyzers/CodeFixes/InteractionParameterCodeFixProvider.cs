using System.Composition;
using DingGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.CodeFixes;

/// <summary>
/// DING009: changes the parameter's type to what the handler's kind passes (its message or callback, or its context).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InteractionParameterCodeFixProvider)), Shared]
public sealed class InteractionParameterCodeFixProvider : DingCodeFixProvider
{
    // One title for every type (the message names it), so Fix All applies them all.
    private const string Title = "Take the type the handler receives";

    /// <summary>Creates the provider.</summary>
    public InteractionParameterCodeFixProvider()
        : base(DiagnosticDescriptors.InteractionParameterMismatchId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Properties.TryGetValue(DiagnosticProperties.ExpectedType, out var expected) && expected is not null
            && NodeAt(root, diagnostic) is TypeSyntax typeSyntax
            ? Fix(Title, ct => CodeFixHelpers.ChangeTypeAsync(document, typeSyntax, expected, ct))
            : NoFix();
}
