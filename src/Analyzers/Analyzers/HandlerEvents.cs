using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.Analyzers;

/// <summary>What one <c>[DingEvent]</c> attribute of a method names, as the analyzers judge it.</summary>
internal enum EventTagStatus
{
    /// <summary>A known tag (or any tag, when the compilation has no catalogue).</summary>
    Valid,

    /// <summary>DING006: empty, whitespace, null or not a constant string; the generator skips it.</summary>
    Invalid,

    /// <summary>DING008: <c>check_url</c> and friends; the generator skips it.</summary>
    Handshake,

    /// <summary>DING007: the method already named this tag.</summary>
    Duplicate,

    /// <summary>DING001: not in the catalogue and not a <c>DingCustomEvent</c>.</summary>
    Unknown,
}

/// <summary>One <c>[DingEvent]</c> attribute of a method.</summary>
internal readonly struct EventTagUse
{
    public EventTagUse(AttributeData attribute, string? tag, EventTagStatus status)
    {
        Attribute = attribute;
        Tag = tag;
        Status = status;
    }

    public AttributeData Attribute { get; }

    public string? Tag { get; }

    public EventTagStatus Status { get; }

    /// <summary>The attribute's argument (where DING001/6/7/8 are reported), or the attribute when it has none.</summary>
    public Location GetArgumentLocation(CancellationToken cancellationToken)
    {
        if (Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
        {
            return syntax.ArgumentList is { Arguments.Count: > 0 } list
                ? list.Arguments[0].Expression.GetLocation()
                : syntax.GetLocation();
        }

        return Location.None;
    }

    /// <summary>The argument's source text, for messages.</summary>
    public string GetArgumentText(CancellationToken cancellationToken) =>
        Attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
            ? syntax.ArgumentList.Arguments[0].Expression.ToString()
            : string.Empty;
}

/// <summary>Reads a method's <c>[DingEvent]</c> attributes and its handler shape the way the generator does.</summary>
internal static class HandlerEvents
{
    public static ImmutableArray<EventTagUse> Read(IMethodSymbol method, INamedTypeSymbol eventAttribute, EventCatalog catalog)
    {
        var result = ImmutableArray.CreateBuilder<EventTagUse>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, eventAttribute))
            {
                continue;
            }

            if (attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0].Value is not string tag
                || string.IsNullOrWhiteSpace(tag))
            {
                result.Add(new EventTagUse(attribute, null, EventTagStatus.Invalid));
            }
            else if (KnownNames.IsHandshakeEvent(tag))
            {
                result.Add(new EventTagUse(attribute, tag, EventTagStatus.Handshake));
            }
            else if (!seen.Add(tag))
            {
                result.Add(new EventTagUse(attribute, tag, EventTagStatus.Duplicate));
            }
            else if (catalog.HasCatalogue && catalog.Find(tag) is null)
            {
                result.Add(new EventTagUse(attribute, tag, EventTagStatus.Unknown));
            }
            else
            {
                result.Add(new EventTagUse(attribute, tag, EventTagStatus.Valid));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The distinct tags the generator routes to the method (unknown ones included: the generator has no catalogue).</summary>
    public static ImmutableArray<string> RoutedTags(ImmutableArray<EventTagUse> uses)
    {
        var tags = ImmutableArray.CreateBuilder<string>();
        foreach (var use in uses)
        {
            if (use.Status is EventTagStatus.Valid or EventTagStatus.Unknown && use.Tag is { } tag)
            {
                tags.Add(tag);
            }
        }

        return tags.ToImmutable();
    }

    /// <summary>
    /// The handler's shape by the shared rule. A parameter counts as the payload when its type is a catalogue record
    /// (<see cref="EventCatalog.IsCatalogueRecord"/>) or the <c>DingCustomEvent</c> payload of one of the routed tags, as
    /// the generator applies it.
    /// </summary>
    public static HandlerShape ReadShape(IMethodSymbol method, ImmutableArray<string> routedTags, EventCatalog catalog, CancellationToken cancellationToken) =>
        HandlerShapeRules.Read(
            method,
            type => catalog.IsCatalogueRecord(type) || catalog.IsCustomPayloadOf(type, routedTags),
            cancellationToken);

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
