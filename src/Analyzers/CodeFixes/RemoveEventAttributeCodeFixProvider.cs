using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DingGen.CodeFixes;

/// <summary>DING007 and DING008: removes a <c>[DingEvent]</c> attribute that has no effect (a repeated tag or a handshake event).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveEventAttributeCodeFixProvider)), Shared]
public sealed class RemoveEventAttributeCodeFixProvider : CodeFixProvider
{
    private const string DuplicateTitle = "Remove the duplicate [DingEvent]";
    private const string HandshakeTitle = "Remove the [DingEvent] of the handshake event";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.DuplicateEventTypeId,
        DiagnosticDescriptors.HandshakeEventHandlerId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
            {
                continue;
            }

            var title = diagnostic.Id == DiagnosticDescriptors.DuplicateEventTypeId ? DuplicateTitle : HandshakeTitle;
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => RemoveAsync(context.Document, attribute, ct), equivalenceKey: title),
                diagnostic);
        }
    }

    private static async Task<Document> RemoveAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.RemoveNode(attribute);
        return editor.GetChangedDocument();
    }
}
