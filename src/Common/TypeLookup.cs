using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>
/// The one place that looks types up by metadata name. <see cref="Compilation.GetTypeByMetadataName"/> returns null as
/// soon as two references declare the same name (a copied polyfill, two versions of a library), so the generator, the
/// analyzers and the code fixes use <see cref="GetBestTypeByMetadataName"/> instead; a test fails if the raw lookup appears
/// anywhere else in src/Generator, src/Analyzers or src/Common.
/// </summary>
internal static class TypeLookup
{
    /// <summary>
    /// Like <see cref="Compilation.GetTypeByMetadataName"/>, but when several assemblies declare the name it prefers the
    /// compilation's own type, then the single public one among the references, instead of returning null.
    /// </summary>
    public static INamedTypeSymbol? GetBestTypeByMetadataName(this Compilation compilation, string metadataName)
    {
        var own = compilation.Assembly.GetTypeByMetadataName(metadataName);
        if (own is not null)
        {
            return own;
        }

        INamedTypeSymbol? found = null;
        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is not IAssemblySymbol assembly)
            {
                continue;
            }

            var type = assembly.GetTypeByMetadataName(metadataName);
            if (type is null || type.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = type;
        }

        return found;
    }

    /// <summary>The type <paramref name="metadataName"/> declared in <paramref name="assembly"/> itself (never ambiguous).</summary>
    public static INamedTypeSymbol? GetTypeInAssembly(IAssemblySymbol assembly, string metadataName) =>
        assembly.GetTypeByMetadataName(metadataName);

    /// <summary>
    /// Whether <paramref name="symbol"/> is the type <paramref name="metadataName"/> (<c>Namespace.Outer+Inner</c>,
    /// generic arity as <c>`1</c>), compared without building a string: cheap enough for every parameter of every handler.
    /// </summary>
    public static bool IsType(ITypeSymbol symbol, string metadataName) => Matches(symbol, metadataName, metadataName.Length);

    /// <summary>Whether <paramref name="ns"/> is the namespace <paramref name="name"/> (<c>A.B</c>), compared without building a string.</summary>
    public static bool IsNamespace(INamespaceSymbol? ns, string name) =>
        ns is { IsGlobalNamespace: false } && Matches(ns, name, name.Length);

    private static bool Matches(ISymbol symbol, string name, int end)
    {
        var own = symbol.MetadataName;
        var start = end - own.Length;
        if (start < 0 || string.CompareOrdinal(name, start, own, 0, own.Length) != 0)
        {
            return false;
        }

        if (symbol.ContainingType is { } outer)
        {
            return start > 0 && name[start - 1] == '+' && Matches(outer, name, start - 1);
        }

        var ns = symbol.ContainingNamespace;
        if (ns is null || ns.IsGlobalNamespace)
        {
            return start == 0;
        }

        return start > 0 && name[start - 1] == '.' && Matches(ns, name, start - 1);
    }
}
