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
/// DING050: adds <c>[JsonSerializable(typeof(T))]</c> to the project's JSON context: the first class deriving from
/// <c>JsonSerializerContext</c> in the project's own documents (in document order). No fix is offered when there is none.
/// </summary>
/// <remarks>
/// Fix All is not <see cref="WellKnownFixAllProviders.BatchFixer"/>: every fix inserts at the same place (above the
/// context class), so the batch merge would keep one insertion per pass. <see cref="AddAllFixAllProvider"/> collects the
/// payload types of the scope and adds them in one edit per project, in diagnostic order.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFixProvider)), Shared]
public sealed class AddJsonSerializableCodeFixProvider : DingCodeFixProvider
{
    // One title for every payload type (the message names it), so Fix All applies them all.
    private const string Title = "Add [JsonSerializable] to the project's JsonSerializerContext";

    /// <summary>Creates the provider.</summary>
    public AddJsonSerializableCodeFixProvider()
        : base(DiagnosticDescriptors.PayloadNotInJsonContextId)
    {
    }

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => AddAllFixAllProvider.Instance;

    private protected override async Task<CodeAction?> CreateFixAsync(Document document, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.PayloadType, out var payloadName) || payloadName is null)
        {
            return null;
        }

        var project = document.Project;
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var contextType = compilation?.GetBestTypeByMetadataName(KnownNames.JsonSerializerContext);
        if (compilation is null || contextType is null || compilation.GetBestTypeByMetadataName(payloadName) is null
            || await FindContextAsync(project, compilation, contextType, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return null;
        }

        return await Fix(Title, ct => AddAttributeAsync(project.Solution, target.DocumentId, target.Declaration, payloadName, ct)).ConfigureAwait(false);
    }

    private static async Task<(DocumentId DocumentId, ClassDeclarationSyntax Declaration, INamedTypeSymbol Symbol)?> FindContextAsync(
        Project project, Compilation compilation, INamedTypeSymbol contextType, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var document = project.GetDocument(tree);
            if (document is null)
            {
                continue;
            }

            var root = await tree.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol symbol && DerivesFrom(symbol, contextType))
                {
                    return (document.Id, declaration, symbol);
                }
            }
        }

        return null;
    }

    private static Task<Solution> AddAttributeAsync(Solution solution, DocumentId documentId, ClassDeclarationSyntax declaration, string payloadName, CancellationToken cancellationToken) =>
        AddAttributesAsync(solution, documentId, declaration, new[] { payloadName }, cancellationToken);

    private static async Task<Solution> AddAttributesAsync(Solution solution, DocumentId documentId, ClassDeclarationSyntax declaration, IEnumerable<string> payloadNames, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var attributeType = document is null ? null : await CodeFixHelpers.FindTypeAsync(document, KnownNames.JsonSerializableAttribute, cancellationToken).ConfigureAwait(false);
        if (document is null || attributeType is null)
        {
            return solution;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        foreach (var payloadName in payloadNames)
        {
            var payload = await CodeFixHelpers.FindTypeAsync(document, payloadName, cancellationToken).ConfigureAwait(false);
            if (payload is null)
            {
                continue;
            }

            var attribute = generator.Attribute(
                CodeFixHelpers.TypeReference(generator, attributeType),
                new[] { generator.TypeOfExpression(CodeFixHelpers.TypeReference(generator, payload)) });
            editor.AddAttribute(declaration, attribute);
        }

        return editor.GetChangedDocument().Project.Solution;
    }

    private static async Task<Solution> AddAllAsync(FixAllContext context, CancellationToken cancellationToken)
    {
        var solution = context.Solution;
        var projects = context.Scope == FixAllScope.Solution ? context.Solution.Projects : new[] { context.Project };
        foreach (var project in projects)
        {
            var diagnostics = context.Scope == FixAllScope.Document && context.Document is { } document
                ? await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)
                : await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
            var names = new List<string>();
            foreach (var diagnostic in diagnostics
                .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start))
            {
                if (diagnostic.Properties.TryGetValue(DiagnosticProperties.PayloadType, out var name) && name is not null && !names.Contains(name))
                {
                    names.Add(name);
                }
            }

            var current = solution.GetProject(project.Id);
            var compilation = current is null || names.Count == 0 ? null : await current.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var contextType = compilation?.GetBestTypeByMetadataName(KnownNames.JsonSerializerContext);
            if (current is null || compilation is null || contextType is null
                || await FindContextAsync(current, compilation, contextType, cancellationToken).ConfigureAwait(false) is not { } target)
            {
                continue;
            }

            solution = await AddAttributesAsync(solution, target.DocumentId, target.Declaration, names, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    /// <summary>Adds every payload type of the Fix-All scope to its project's context in one edit.</summary>
    private sealed class AddAllFixAllProvider : FixAllProvider
    {
        public static readonly AddAllFixAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
            Task.FromResult<CodeAction?>(CodeAction.Create(Title, ct => AddAllAsync(fixAllContext, ct), equivalenceKey: Title));
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
