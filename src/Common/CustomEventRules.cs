using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>
/// The one rule for <c>[assembly: DingCustomEvent(tag, typeof(T))]</c>: which declarations count, and when a handler's
/// parameter is the custom payload of one of its events. The generator applies it to its models (metadata names), the
/// analyzers to symbols; both go through <see cref="TryRead"/> and <see cref="CustomPayloadIndex.IsPayloadOf"/>.
/// </summary>
internal static class CustomEventRules
{
    /// <summary>
    /// Reads one assembly attribute: a <c>DingCustomEvent</c> with a non-blank constant tag and a payload type. Blank tags
    /// are rejected (DingTalk has none; the generator would otherwise route a handler to them).
    /// </summary>
    public static bool TryRead(AttributeData attribute, out string tag, out ITypeSymbol payload)
    {
        tag = string.Empty;
        payload = null!;
        if (attribute.AttributeClass is not { } cls
            || !TypeLookup.IsType(cls, KnownNames.DingCustomEventAttribute)
            || attribute.ConstructorArguments.Length != 2
            || attribute.ConstructorArguments[0].Value is not string value
            || string.IsNullOrWhiteSpace(value)
            || attribute.ConstructorArguments[1].Value is not ITypeSymbol type)
        {
            return false;
        }

        tag = value;
        payload = type;
        return true;
    }
}

/// <summary>The <c>DingCustomEvent</c> payload types by tag, as metadata names (<see cref="HandlerShapeRules.MetadataName"/>).</summary>
internal sealed class CustomPayloadIndex
{
    private readonly Dictionary<string, HashSet<string>> _byTag = new(StringComparer.Ordinal);

    public bool IsEmpty => _byTag.Count == 0;

    public void Add(string tag, string payloadMetadataName)
    {
        if (!_byTag.TryGetValue(tag, out var set))
        {
            _byTag[tag] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(payloadMetadataName);
    }

    /// <summary>
    /// The custom-payload rule: a parameter whose type (<paramref name="payloadMetadataName"/>) a <c>DingCustomEvent</c>
    /// declared for one of the handler's routed <paramref name="tags"/> is the handler's payload, not a DI service.
    /// </summary>
    public bool IsPayloadOf(string payloadMetadataName, IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            if (_byTag.TryGetValue(tag, out var set) && set.Contains(payloadMetadataName))
            {
                return true;
            }
        }

        return false;
    }
}
