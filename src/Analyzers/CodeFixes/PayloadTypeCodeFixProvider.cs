using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

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
            ? Fix(Title, ct => ChangeTypeAsync(document, typeSyntax, fitting, ct))
            : NoFix();

    private static async Task<Document> ChangeTypeAsync(Document document, TypeSyntax typeSyntax, string fittingMetadataName, CancellationToken cancellationToken)
    {
        var type = await CodeFixHelpers.FindTypeAsync(document, fittingMetadataName, cancellationToken).ConfigureAwait(false);
        if (type is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var replacement = CodeFixHelpers.TypeReference(generator, type);
        if (typeSyntax is NullableTypeSyntax)
        {
            replacement = generator.NullableTypeExpression(replacement);
        }

        editor.ReplaceNode(typeSyntax, replacement.WithTriviaFrom(typeSyntax));
        return editor.GetChangedDocument();
    }
}
