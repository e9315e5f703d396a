using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DingGen.CodeFixes;

/// <summary>
/// DING001: replaces an unknown event type with the nearest known one: the <c>DingEventTypes</c> constant for a
/// catalogue event, the string literal for a <c>DingCustomEvent</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnknownEventTypeCodeFixProvider)), Shared]
public sealed class UnknownEventTypeCodeFixProvider : DingCodeFixProvider
{
    // One title for every suggestion (the message names it), so Fix All applies them all.
    private const string Title = "Use the suggested event type";

    /// <summary>Creates the provider.</summary>
    public UnknownEventTypeCodeFixProvider()
        : base(DiagnosticDescriptors.UnknownEventTypeId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.SuggestedTag, out var tag) || tag is null
            || NodeAt(root, diagnostic) is not ExpressionSyntax argument)
        {
            return NoFix();
        }

        diagnostic.Properties.TryGetValue(DiagnosticProperties.SuggestedConstant, out var constant);
        return Fix(Title, ct => ReplaceAsync(document, argument, tag, constant, ct));
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax argument, string tag, string? constant, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var catalogue = constant is null ? null : await CodeFixHelpers.FindTypeAsync(document, KnownNames.DingEventTypes, cancellationToken).ConfigureAwait(false);
        var replacement = catalogue is null
            ? generator.LiteralExpression(tag)
            : generator.MemberAccessExpression(CodeFixHelpers.TypeReference(generator, catalogue), constant!);
        editor.ReplaceNode(argument, replacement.WithTriviaFrom(argument));
        return editor.GetChangedDocument();
    }
}
