using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace DingGen.CodeFixes;

/// <summary>Small helpers the code fixes share.</summary>
internal static class CodeFixHelpers
{
    /// <summary>A reference to <paramref name="type"/> that the simplifier shortens and for which a <c>using</c> is added when needed.</summary>
    public static SyntaxNode TypeReference(Microsoft.CodeAnalysis.Editing.SyntaxGenerator generator, ITypeSymbol type) =>
        generator.TypeExpression(type).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>The type named <paramref name="metadataName"/> in the document's compilation, or null.</summary>
    public static async Task<INamedTypeSymbol?> FindTypeAsync(Document document, string metadataName, CancellationToken cancellationToken)
    {
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        return compilation?.GetBestTypeByMetadataName(metadataName);
    }

    /// <summary>
    /// Replaces the type <paramref name="typeSyntax"/> with the type named <paramref name="metadataName"/>, keeping a
    /// <c>?</c> the original had (DING002, DING009).
    /// </summary>
    public static async Task<Document> ChangeTypeAsync(Document document, TypeSyntax typeSyntax, string metadataName, CancellationToken cancellationToken)
    {
        var type = await FindTypeAsync(document, metadataName, cancellationToken).ConfigureAwait(false);
        if (type is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var replacement = TypeReference(generator, type);
        if (typeSyntax is NullableTypeSyntax)
        {
            replacement = generator.NullableTypeExpression(replacement);
        }

        editor.ReplaceNode(typeSyntax, replacement.WithTriviaFrom(typeSyntax));
        return editor.GetChangedDocument();
    }
}
