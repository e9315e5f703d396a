using System.Collections;
using System.Reflection;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Tests.Incremental;

/// <summary>
/// Walks a pipeline step output through its fields, recursively, and fails on anything that roots a compilation
/// (after NetEscapades.EnumGenerators' <c>AssertObjectGraph</c>). Arrays are only allowed inside <see cref="EquatableArray{T}"/>.
/// </summary>
internal static class ObjectGraph
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Compilation), typeof(Location),
        typeof(SyntaxToken), typeof(SyntaxReference), typeof(AttributeData), typeof(TypedConstant),
    };

    /// <summary>Fails on a forbidden object anywhere under <paramref name="root"/>; returns how many objects were walked.</summary>
    public static int AssertHoldsOnlyValues(object? root, string path)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return Walk(root, path, parentIsEquatableArray: false, visited);
    }

    private static int Walk(object? node, string path, bool parentIsEquatableArray, HashSet<object> visited)
    {
        if (node is null)
        {
            return 0;
        }

        var type = node.GetType();
        if (type.IsPrimitive || type.IsEnum || node is string or decimal)
        {
            return 1;
        }

        foreach (var forbidden in Forbidden)
        {
            Assert.False(forbidden.IsAssignableFrom(type), $"{path} is a {type.FullName}: step outputs must not hold {forbidden.Name}.");
        }

        if (!type.IsValueType && !visited.Add(node))
        {
            return 0;
        }

        var count = 1;
        if (node is Array array)
        {
            Assert.True(parentIsEquatableArray, $"{path} is an array outside EquatableArray<T> (compared by reference, it defeats caching).");
            var index = 0;
            foreach (var item in array)
            {
                count += Walk(item, $"{path}[{index++}]", parentIsEquatableArray: false, visited);
            }

            return count;
        }

        Assert.False(
            node is IEnumerable && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>)),
            $"{path} is a {type.Name}: collections in step outputs must be EquatableArray<T>.");
        var isEquatableArray = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>);
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                count += Walk(field.GetValue(node), path + "." + field.Name, isEquatableArray, visited);
            }
        }

        return count;
    }
}
