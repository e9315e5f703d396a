using System.Runtime.CompilerServices;
using DingGen.Common;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Parsing;

/// <summary>
/// The names of a type the parser writes into models (<c>global::</c> name, metadata name, display name), computed once per
/// type symbol. Symbol display is the most expensive thing the parser does, and the same few types (a handler class, a
/// payload record, <c>DingEventContext</c>, <c>CancellationToken</c>) recur in every handler; after an unrelated edit every
/// handler is parsed again, so this is what keeps that re-parse close to Roslyn's own re-binding.
/// </summary>
/// <remarks>
/// A pure memo keyed weakly by the (immutable) symbol, not state about any run: metadata symbols are shared by successive
/// compilations, so their names are computed once per referenced assembly; source symbols live as long as their
/// compilation. The output is the same with or without it.
/// </remarks>
internal sealed class TypeNames
{
    /// <summary>The handler's display name style (<c>Namespace.Type</c>): no <c>global::</c>, no <c>@</c>.</summary>
    private static readonly SymbolDisplayFormat NameFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly ConditionalWeakTable<ITypeSymbol, TypeNames> Cache = new();

    private TypeNames(ITypeSymbol type)
    {
        Fqn = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        MetadataName = HandlerShapeRules.MetadataName(type);
        DisplayName = type.ToDisplayString(NameFormat);
    }

    /// <summary>The fully qualified name with <c>global::</c>, as generated code writes it.</summary>
    public string Fqn { get; }

    /// <summary>The metadata-style name (<c>Namespace.Outer+Inner</c>), for comparisons.</summary>
    public string MetadataName { get; }

    /// <summary>The name logs and failures show (<c>Namespace.Outer.Inner</c>).</summary>
    public string DisplayName { get; }

    /// <summary>
    /// The names of <paramref name="type"/>. The key drops the nullable annotation (which none of the names show): Roslyn
    /// hands out a new annotated wrapper on each access, but the unannotated symbol is one instance per type.
    /// </summary>
    public static TypeNames Of(ITypeSymbol type) =>
        Cache.GetValue(type.WithNullableAnnotation(NullableAnnotation.None), static t => new TypeNames(t));
}
