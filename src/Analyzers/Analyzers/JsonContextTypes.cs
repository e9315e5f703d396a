using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;

namespace DingGen.Analyzers;

/// <summary>
/// The types the <c>JsonSerializerContext</c>s of a compilation and its references can serialize: every
/// <c>[JsonSerializable(typeof(T))]</c> root and, as the System.Text.Json generator does, the types reachable from it
/// through public properties and fields, element types and type arguments.
/// </summary>
internal static class JsonContextTypes
{
    /// <summary>Stops the walk of very large object graphs; a type beyond it is simply not found.</summary>
    private const int MaxTypes = 20_000;

    public static ImmutableHashSet<ITypeSymbol> Collect(Compilation compilation, INamedTypeSymbol contextType, CancellationToken cancellationToken)
    {
        var contexts = new List<INamedTypeSymbol>();
        CollectContexts(compilation.Assembly.GlobalNamespace, contextType, publicOnly: false, contexts, cancellationToken);
        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly && ReferencesSystemTextJson(assembly))
            {
                CollectContexts(assembly.GlobalNamespace, contextType, publicOnly: true, contexts, cancellationToken);
            }
        }

        var result = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ITypeSymbol>();
        foreach (var context in contexts)
        {
            foreach (var attribute in context.GetAttributes())
            {
                if (attribute.AttributeClass is { } cls
                    && HandlerShapeRules.MetadataName(cls) == KnownNames.JsonSerializableAttribute
                    && attribute.ConstructorArguments.Length > 0
                    && attribute.ConstructorArguments[0].Value is ITypeSymbol root)
                {
                    pending.Push(root);
                }
            }
        }

        while (pending.Count > 0 && result.Count < MaxTypes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = pending.Pop().WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (!result.Add(type))
            {
                continue;
            }

            Expand(type, pending);
        }

        return result.ToImmutable();
    }

    private static void Expand(ITypeSymbol type, Stack<ITypeSymbol> pending)
    {
        if (type is IArrayTypeSymbol array)
        {
            pending.Push(array.ElementType);
            return;
        }

        if (type is not INamedTypeSymbol named)
        {
            return;
        }

        foreach (var argument in named.TypeArguments)
        {
            pending.Push(argument);
        }

        // Framework types contribute their type arguments (List<T>, Dictionary<K, V>) but not their members.
        if (named.SpecialType != SpecialType.None || IsFrameworkNamespace(named.ContainingNamespace))
        {
            return;
        }

        for (INamedTypeSymbol? current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                if (member is IPropertySymbol { IsIndexer: false } property)
                {
                    pending.Push(property.Type);
                }
                else if (member is IFieldSymbol { IsImplicitlyDeclared: false } field)
                {
                    pending.Push(field.Type);
                }
            }
        }
    }

    private static void CollectContexts(INamespaceSymbol ns, INamedTypeSymbol contextType, bool publicOnly, List<INamedTypeSymbol> contexts, CancellationToken cancellationToken)
    {
        foreach (var member in ns.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is INamespaceSymbol child)
            {
                CollectContexts(child, contextType, publicOnly, contexts, cancellationToken);
            }
            else if (member is INamedTypeSymbol type)
            {
                CollectFromType(type, contextType, publicOnly, contexts);
            }
        }
    }

    private static void CollectFromType(INamedTypeSymbol type, INamedTypeSymbol contextType, bool publicOnly, List<INamedTypeSymbol> contexts)
    {
        if (publicOnly && type.DeclaredAccessibility != Accessibility.Public)
        {
            return;
        }

        if (type.TypeKind == TypeKind.Class && DerivesFrom(type, contextType))
        {
            contexts.Add(type);
        }

        foreach (var nested in type.GetTypeMembers())
        {
            CollectFromType(nested, contextType, publicOnly, contexts);
        }
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

    /// <summary>Only assemblies that reference System.Text.Json can declare a context; the framework's own are skipped.</summary>
    private static bool ReferencesSystemTextJson(IAssemblySymbol assembly)
    {
        var name = assembly.Identity.Name;
        if (name == "System.Text.Json" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard")
        {
            return false;
        }

        foreach (var module in assembly.Modules)
        {
            foreach (var referenced in module.ReferencedAssemblies)
            {
                if (referenced.Name == "System.Text.Json")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsFrameworkNamespace(INamespaceSymbol? ns)
    {
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            if (current.ContainingNamespace is { IsGlobalNamespace: true } && current.Name is "System" or "Microsoft")
            {
                return true;
            }
        }

        return false;
    }
}
