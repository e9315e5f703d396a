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
public sealed class RemoveEventAttributeCodeFixProvider : DingCodeFixProvider
{
    private const string DuplicateTitle = "Remove the duplicate [DingEvent]";
    private const string HandshakeTitle = "Remove the [DingEvent] of the handshake event";

    /// <summary>Creates the provider.</summary>
    public RemoveEventAttributeCodeFixProvider()
        : base(DiagnosticDescriptors.DuplicateEventTypeId, DiagnosticDescriptors.HandshakeEventHandlerId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (NodeAt(root, diagnostic).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return NoFix();
        }

        var title = diagnostic.Id == DiagnosticDescriptors.DuplicateEventTypeId ? DuplicateTitle : HandshakeTitle;
        return Fix(title, ct => RemoveAsync(document, attribute, ct));
    }

    private static async Task<Document> RemoveAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.RemoveNode(attribute);
        return editor.GetChangedDocument();
    }
}
