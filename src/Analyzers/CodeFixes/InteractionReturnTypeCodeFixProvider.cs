using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DingGen.CodeFixes;

/// <summary>
/// DING010: makes a robot handler return <c>ValueTask&lt;DingRobotReply?&gt;</c> and a card handler
/// <c>ValueTask&lt;DingCardUpdate?&gt;</c>. Values the method returned are kept for their side effects only
/// (<c>_ = x;</c>) and it answers nothing (<c>return null;</c> when async, <c>return default;</c> otherwise): the reply is the
/// user's to write.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InteractionReturnTypeCodeFixProvider)), Shared]
public sealed class InteractionReturnTypeCodeFixProvider : DingCodeFixProvider
{
    // One title for both kinds (the message names the response), so Fix All applies them all.
    private const string Title = "Return ValueTask of the handler's response";

    /// <summary>Creates the provider.</summary>
    public InteractionReturnTypeCodeFixProvider()
        : base(DiagnosticDescriptors.InteractionReturnTypeId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.ResponseType, out var response) || response is null
            || MethodAt(root, diagnostic) is not { } method)
        {
            return NoFix();
        }

        return Fix(Title, ct => ReturnResponseAsync(document, method, response, ct));
    }

    private static async Task<Document> ReturnResponseAsync(Document document, MethodDeclarationSyntax method, string response, CancellationToken cancellationToken)
    {
        var responseType = await CodeFixHelpers.FindTypeAsync(document, response, cancellationToken).ConfigureAwait(false);
        var valueTask = await CodeFixHelpers.FindTypeAsync(document, KnownNames.ValueTaskOfT, cancellationToken).ConfigureAwait(false);
        if (responseType is null || valueTask is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var constructed = valueTask.Construct(
            ImmutableArray.Create<ITypeSymbol>(responseType),
            ImmutableArray.Create(NullableAnnotation.Annotated));
        var returnType = (TypeSyntax)CodeFixHelpers.TypeReference(editor.Generator, constructed);
        return HandlerReturnTypeCodeFixProvider.ChangeReturnType(editor, method, returnType, SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression));
    }
}
