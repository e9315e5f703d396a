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
public sealed class PayloadTypeCodeFixProvider : CodeFixProvider
{
    // One title for every type (the message names it), so Fix All applies them all.
    private const string Title = "Take the payload type that fits the events";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.PayloadMismatchId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.FittingType, out var fitting) || fitting is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not TypeSyntax typeSyntax)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => ChangeTypeAsync(context.Document, typeSyntax, fitting, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

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
