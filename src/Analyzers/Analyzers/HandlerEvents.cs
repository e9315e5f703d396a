using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.Analyzers;

/// <summary>Reads a method's <c>[DingEvent]</c> attributes and its handler shape with the shared rules the generator uses.</summary>
internal static class HandlerEvents
{
    /// <summary>The method's <c>[DingEvent]</c> attributes, judged by <see cref="EventTagRules"/>.</summary>
    public static ImmutableArray<EventTagUse> Read(IMethodSymbol method, INamedTypeSymbol eventAttribute, EventCatalog catalog, CancellationToken cancellationToken)
    {
        var attributes = new List<AttributeData>();
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, eventAttribute))
            {
                attributes.Add(attribute);
            }
        }

        return attributes.Count == 0
            ? ImmutableArray<EventTagUse>.Empty
            : EventTagRules.Read(attributes, catalog.Handshakes, cancellationToken);
    }

    /// <summary>DING001: a routed tag that neither the catalogue nor a <c>DingCustomEvent</c> knows (never, without a catalogue).</summary>
    public static bool IsUnknown(EventTagUse use, EventCatalog catalog) =>
        use.Status == EventTagStatus.Routed && catalog.HasCatalogue && catalog.Find(use.Tag!) is null;

    /// <summary>
    /// The handler's shape by the shared rule. A parameter counts as the payload when its type is a catalogue record
    /// or the <c>DingCustomEvent</c> payload of one of the routed tags, as the generator applies it.
    /// </summary>
    public static HandlerShape ReadShape(IMethodSymbol method, ImmutableArray<string> routedTags, EventCatalog catalog, CancellationToken cancellationToken) =>
        HandlerShapeRules.Read(
            method,
            type => catalog.IsCustomPayloadOf(type, routedTags),
            cancellationToken);

    /// <summary>The attribute's argument (where DING001/6/7/8 are reported), or the attribute when it has none.</summary>
    public static Location GetArgumentLocation(EventTagUse use, CancellationToken cancellationToken)
    {
        if (use.Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
        {
            return syntax.ArgumentList is { Arguments.Count: > 0 } list
                ? list.Arguments[0].Expression.GetLocation()
                : syntax.GetLocation();
        }

        return Location.None;
    }

    /// <summary>The argument's source text, for messages.</summary>
    public static string GetArgumentText(EventTagUse use, CancellationToken cancellationToken) =>
        use.Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
            ? syntax.ArgumentList.Arguments[0].Expression.ToString()
            : string.Empty;

    /// <summary>The location of a parameter's type in source (where DING002/DING050 are reported).</summary>
    public static Location GetParameterTypeLocation(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type })
            {
                return type.GetLocation();
            }
        }

        return parameter.Locations.Length > 0 ? parameter.Locations[0] : Location.None;
    }
}
