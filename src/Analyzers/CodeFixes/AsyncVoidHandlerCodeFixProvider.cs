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

/// <summary>DING005: makes an <c>async void</c> handler return <c>Task</c>, so the dispatcher awaits it and sees its failures.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidHandlerCodeFixProvider)), Shared]
public sealed class AsyncVoidHandlerCodeFixProvider : DingCodeFixProvider
{
    private const string Title = "Return Task";

    /// <summary>Creates the provider.</summary>
    public AsyncVoidHandlerCodeFixProvider()
        : base(DiagnosticDescriptors.AsyncVoidHandlerId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        MethodAt(root, diagnostic) is { } method ? Fix(Title, ct => ReturnTaskAsync(document, method, ct)) : NoFix();

    private static async Task<Document> ReturnTaskAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var task = await CodeFixHelpers.FindTypeAsync(document, KnownNames.Task, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(method.ReturnType, CodeFixHelpers.TypeReference(editor.Generator, task).WithTriviaFrom(method.ReturnType));
        return editor.GetChangedDocument();
    }
}
