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
/// DING003, when the return type is the problem: makes the handler return <c>ValueTask</c>. The dispatcher ignores a
/// handler's result, so returned values are kept only for their side effects: <c>return x;</c> becomes
/// <c>_ = x; return;</c> in an async method and <c>_ = x; return default;</c> otherwise.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HandlerReturnTypeCodeFixProvider)), Shared]
public sealed class HandlerReturnTypeCodeFixProvider : DingCodeFixProvider
{
    private const string Title = "Return ValueTask";

    /// <summary>Creates the provider.</summary>
    public HandlerReturnTypeCodeFixProvider()
        : base(DiagnosticDescriptors.HandlerNotCallableId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Properties.ContainsKey(DiagnosticProperties.ReturnTypeFixable) && MethodAt(root, diagnostic) is { } method
            ? Fix(Title, ct => ReturnValueTaskAsync(document, method, ct))
            : NoFix();

    private static async Task<Document> ReturnValueTaskAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var valueTask = await CodeFixHelpers.FindTypeAsync(document, KnownNames.ValueTask, cancellationToken).ConfigureAwait(false);
        if (valueTask is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var returnType = (TypeSyntax)CodeFixHelpers.TypeReference(editor.Generator, valueTask);
        return ChangeReturnType(editor, method, returnType, asyncReturnValue: null);
    }

    /// <summary>
    /// Makes <paramref name="method"/> return <paramref name="returnType"/>, keeping returned values only for their side
    /// effects: <c>return x;</c> becomes <c>_ = x;</c> then <c>return;</c> (or <c>return </c><paramref name="asyncReturnValue"/><c>;</c>)
    /// in an async method, and <c>return default;</c> otherwise.
    /// </summary>
    internal static Document ChangeReturnType(DocumentEditor editor, MethodDeclarationSyntax method, TypeSyntax returnType, ExpressionSyntax? asyncReturnValue)
    {
        var isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
        ReturnStatementSyntax BareReturn() => isAsync
            ? SyntaxFactory.ReturnStatement(asyncReturnValue)
            : SyntaxFactory.ReturnStatement(DefaultLiteral());

        foreach (var statement in OwnReturns(method))
        {
            var discard = Discard(statement.Expression!);
            if (statement.Parent is BlockSyntax)
            {
                editor.InsertBefore(statement, discard.WithLeadingTrivia(statement.GetLeadingTrivia()));
                editor.ReplaceNode(statement, BareReturn().WithTriviaFrom(statement));
            }
            else
            {
                editor.ReplaceNode(statement, SyntaxFactory.Block(discard, BareReturn()).WithTriviaFrom(statement));
            }
        }

        editor.ReplaceNode(method.ReturnType, returnType.WithTriviaFrom(method.ReturnType));

        if (method.ExpressionBody is { Expression: var expression } && expression is not ThrowExpressionSyntax)
        {
            var statements = isAsync && asyncReturnValue is null
                ? new StatementSyntax[] { Discard(expression) }
                : new StatementSyntax[] { Discard(expression), BareReturn() };
            editor.ReplaceNode(method, (current, _) => ((MethodDeclarationSyntax)current)
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(statements))
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The method's <c>return expr;</c> statements, not those of lambdas or local functions inside it.</summary>
    private static IEnumerable<ReturnStatementSyntax> OwnReturns(MethodDeclarationSyntax method)
    {
        if (method.Body is null)
        {
            return Array.Empty<ReturnStatementSyntax>();
        }

        return method.Body
            .DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .Where(statement => statement.Expression is not null);
    }

    private static StatementSyntax Discard(ExpressionSyntax expression) =>
        SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName("_"),
            expression.WithoutTrivia()));

    private static ExpressionSyntax DefaultLiteral() => SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression);
}
