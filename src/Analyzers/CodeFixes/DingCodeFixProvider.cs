using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.CodeFixes;

/// <summary>
/// The registration skeleton every DingGen code fix shares: the fixable IDs, Fix All through
/// <see cref="WellKnownFixAllProviders.BatchFixer"/> (unless overridden), the syntax root, and one code action per
/// diagnostic whose equivalence key is its title (so Fix All applies every fix of one kind).
/// </summary>
public abstract class DingCodeFixProvider : CodeFixProvider
{
    private protected DingCodeFixProvider(params string[] fixableDiagnosticIds)
    {
        FixableDiagnosticIds = ImmutableArray.Create(fixableDiagnosticIds);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var action = await CreateFixAsync(context.Document, root, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (action is not null)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    /// <summary>The fix for <paramref name="diagnostic"/>, or null when this provider has none for it.</summary>
    private protected abstract Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>A document edit titled <paramref name="title"/>, with the title as its equivalence key.</summary>
    private protected static Task<CodeAction?> Fix(string title, Func<CancellationToken, Task<Document>> apply) =>
        Task.FromResult<CodeAction?>(CodeAction.Create(title, apply, equivalenceKey: title));

    /// <summary>A solution edit titled <paramref name="title"/>, with the title as its equivalence key.</summary>
    private protected static Task<CodeAction?> Fix(string title, Func<CancellationToken, Task<Solution>> apply) =>
        Task.FromResult<CodeAction?>(CodeAction.Create(title, apply, equivalenceKey: title));

    /// <summary>No fix.</summary>
    private protected static Task<CodeAction?> NoFix() => Task.FromResult<CodeAction?>(null);

    /// <summary>The method whose identifier <paramref name="diagnostic"/> is reported on.</summary>
    private protected static MethodDeclarationSyntax? MethodAt(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>();

    /// <summary>The innermost node spanning <paramref name="diagnostic"/>'s location.</summary>
    private protected static SyntaxNode NodeAt(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
}
