using System.Collections.Immutable;
using System.Composition;
using DingGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DingGen.CodeFixes;

/// <summary>
/// DING004, when accessibility is the only problem: makes the handler method and each containing type that the
/// generated dispatcher cannot reach (private, protected, private protected) <c>internal</c>, in every partial declaration.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeHandlerInternalCodeFixProvider)), Shared]
public sealed class MakeHandlerInternalCodeFixProvider : DingCodeFixProvider
{
    private const string Title = "Make the handler internal";

    /// <summary>Creates the provider.</summary>
    public MakeHandlerInternalCodeFixProvider()
        : base(DiagnosticDescriptors.HandlerNotReachableId)
    {
    }

    private protected override Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Properties.ContainsKey(DiagnosticProperties.MakeInternalFixable) && MethodAt(root, diagnostic) is { } method
            ? Fix(Title, ct => MakeInternalAsync(document, method, ct))
            : NoFix();

    private static async Task<Solution> MakeInternalAsync(Document document, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol method)
        {
            return document.Project.Solution;
        }

        var targets = new List<ISymbol>();
        if (!IsReachable(method.DeclaredAccessibility))
        {
            targets.Add(method);
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!IsReachable(type.DeclaredAccessibility))
            {
                targets.Add(type);
            }
        }

        var editor = new SolutionEditor(document.Project.Solution);
        foreach (var symbol in targets)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                var node = await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
                var target = editor.OriginalSolution.GetDocument(node.SyntaxTree);
                if (target is null)
                {
                    continue;
                }

                var documentEditor = await editor.GetDocumentEditorAsync(target.Id, cancellationToken).ConfigureAwait(false);
                documentEditor.SetAccessibility(node, Accessibility.Internal);
            }
        }

        return editor.GetChangedSolution();
    }

    private static bool IsReachable(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
}
