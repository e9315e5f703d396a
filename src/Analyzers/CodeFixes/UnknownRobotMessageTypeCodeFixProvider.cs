using System.Composition;
using DingGen.Analyzers;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DingGen.CodeFixes;

/// <summary>DING012: replaces an unknown <c>MsgType</c> filter with the nearest <c>DingRobotMessageTypes</c> constant.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnknownRobotMessageTypeCodeFixProvider)), Shared]
public sealed class UnknownRobotMessageTypeCodeFixProvider : DingCodeFixProvider
{
    // One title for every suggestion (the message names it), so Fix All applies them all.
    private const string Title = "Use the suggested message type";

    /// <summary>Creates the provider.</summary>
    public UnknownRobotMessageTypeCodeFixProvider()
        : base(DiagnosticDescriptors.UnknownRobotMessageTypeId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Properties.TryGetValue(DiagnosticProperties.SuggestedMsgTypeConstant, out var constant) && constant is not null
            && NodeAt(root, diagnostic) is ExpressionSyntax argument
            ? Fix(Title, ct => ReplaceAsync(document, argument, constant, ct))
            : NoFix();

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax argument, string constant, CancellationToken cancellationToken)
    {
        var types = await CodeFixHelpers.FindTypeAsync(document, KnownNames.DingRobotMessageTypes, cancellationToken).ConfigureAwait(false);
        if (types is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        editor.ReplaceNode(argument, generator.MemberAccessExpression(CodeFixHelpers.TypeReference(generator, types), constant).WithTriviaFrom(argument));
        return editor.GetChangedDocument();
    }
}
