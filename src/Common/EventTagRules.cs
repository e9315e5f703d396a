using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>What one <c>[DingEvent(tag)]</c> attribute of a method amounts to.</summary>
internal enum EventTagStatus
{
    /// <summary>A tag the generator routes to the method (the analyzers may still call it unknown: DING001).</summary>
    Routed,

    /// <summary>DING006: empty, whitespace, null or not a constant string; the generator skips it.</summary>
    Invalid,

    /// <summary>DING008: a handshake event (<see cref="HandshakeEvents"/>); the generator skips it.</summary>
    Handshake,

    /// <summary>DING007: the method already named this tag; the generator routes it once.</summary>
    Duplicate,
}

/// <summary>One <c>[DingEvent]</c> attribute of a method, judged by <see cref="EventTagRules"/>.</summary>
internal readonly struct EventTagUse
{
    public EventTagUse(AttributeData attribute, string? tag, EventTagStatus status)
    {
        Attribute = attribute;
        Tag = tag;
        Status = status;
    }

    public AttributeData Attribute { get; }

    /// <summary>The tag, unless <see cref="Status"/> is <see cref="EventTagStatus.Invalid"/>.</summary>
    public string? Tag { get; }

    public EventTagStatus Status { get; }
}

/// <summary>The one rule for reading the tags of a method's <c>[DingEvent]</c> attributes, for the generator and the analyzers.</summary>
internal static class EventTagRules
{
    /// <summary>
    /// Judges each of <paramref name="attributes"/> (the method's <c>[DingEvent]</c> attributes, in declaration order): a
    /// tag must be a non-blank constant string, not a handshake event, and not named before by the same method.
    /// </summary>
    public static ImmutableArray<EventTagUse> Read(IEnumerable<AttributeData> attributes, HandshakeEvents handshakes, CancellationToken cancellationToken)
    {
        var result = ImmutableArray.CreateBuilder<EventTagUse>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0].Value is not string tag
                || string.IsNullOrWhiteSpace(tag))
            {
                result.Add(new EventTagUse(attribute, null, EventTagStatus.Invalid));
            }
            else if (handshakes.Contains(tag))
            {
                result.Add(new EventTagUse(attribute, tag, EventTagStatus.Handshake));
            }
            else
            {
                result.Add(new EventTagUse(attribute, tag, seen.Add(tag) ? EventTagStatus.Routed : EventTagStatus.Duplicate));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The distinct tags the generator routes to the method, in declaration order.</summary>
    public static ImmutableArray<string> RoutedTags(ImmutableArray<EventTagUse> uses)
    {
        var tags = ImmutableArray.CreateBuilder<string>();
        foreach (var use in uses)
        {
            if (use.Status == EventTagStatus.Routed)
            {
                tags.Add(use.Tag!);
            }
        }

        return tags.ToImmutable();
    }
}
