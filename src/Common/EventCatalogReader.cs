using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>One event type the compilation knows: from the Runtime's catalogue, from a <c>DingCustomEvent</c>, or both.</summary>
internal sealed class KnownEvent
{
    public KnownEvent(string tag, string? constantName, ITypeSymbol? cataloguePayload, ImmutableArray<ITypeSymbol> customPayloads)
    {
        Tag = tag;
        ConstantName = constantName;
        CataloguePayload = cataloguePayload;
        CustomPayloads = customPayloads;
    }

    public string Tag { get; }

    /// <summary>The name of the <c>DingEventTypes</c> constant, when the tag is in the catalogue.</summary>
    public string? ConstantName { get; }

    /// <summary>The payload record named by the constant's <c>[DingEventPayload]</c>, when there is one.</summary>
    public ITypeSymbol? CataloguePayload { get; }

    /// <summary>The payload types declared for this tag with <c>[assembly: DingCustomEvent(tag, typeof(T))]</c>.</summary>
    public ImmutableArray<ITypeSymbol> CustomPayloads { get; }

    public bool IsInCatalogue => ConstantName is not null;

    public KnownEvent WithCustomPayload(ITypeSymbol payload) =>
        new(Tag, ConstantName, CataloguePayload, CustomPayloads.Add(payload));
}

/// <summary>
/// The event types a compilation knows, read once per compilation: the constants of <c>DingGen.DingEventTypes</c> with
/// their <c>[DingEventPayload(typeof(T))]</c> records, and the compilation's own
/// <c>[assembly: DingCustomEvent(tag, typeof(T))]</c> declarations.
/// </summary>
/// <remarks>
/// The catalogue is found by metadata name wherever it is declared (normally in DingGen.dll). Which types are catalogue
/// records, which events are handshakes and which parameters are custom payloads are the shared rules of
/// <see cref="HandlerShapeRules.IsCatalogueRecord"/>, <see cref="HandshakeEvents"/> and <see cref="CustomEventRules"/>,
/// so the analyzers judge exactly as the generator does.
/// </remarks>
internal sealed class EventCatalog
{
    private readonly ImmutableDictionary<string, KnownEvent> _events;
    private readonly ImmutableHashSet<ITypeSymbol> _customPayloads;
    private readonly CustomPayloadIndex _customPayloadIndex;

    public EventCatalog(bool hasCatalogue, ImmutableDictionary<string, KnownEvent> events, ImmutableHashSet<ITypeSymbol> customPayloads, CustomPayloadIndex customPayloadIndex, INamedTypeSymbol? genericEvent, HandshakeEvents handshakes)
    {
        HasCatalogue = hasCatalogue;
        _events = events;
        _customPayloads = customPayloads;
        _customPayloadIndex = customPayloadIndex;
        GenericEvent = genericEvent;
        Handshakes = handshakes;
    }

    /// <summary>The events the catalogue marks as handshakes (DING008).</summary>
    public HandshakeEvents Handshakes { get; }

    /// <summary>Whether <c>DingGen.DingEventTypes</c> was found. Without it no tag can be called unknown.</summary>
    public bool HasCatalogue { get; }

    /// <summary><c>DingGen.Events.DingGenericEvent</c>: envelope fields plus the raw JSON, so it fits every event.</summary>
    public INamedTypeSymbol? GenericEvent { get; }

    public IEnumerable<KnownEvent> Events => _events.Values;

    public KnownEvent? Find(string tag) => _events.TryGetValue(tag, out var known) ? known : null;

    /// <summary>Whether <paramref name="type"/> is a record of the catalogue (<see cref="HandlerShapeRules.IsCatalogueRecord"/>).</summary>
    public bool IsCatalogueRecord(ITypeSymbol type) => HandlerShapeRules.IsCatalogueRecord(type);

    /// <summary>Whether <paramref name="type"/> was declared as the payload of any <c>DingCustomEvent</c>.</summary>
    public bool IsCustomPayload(ITypeSymbol type) =>
        _customPayloads.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

    /// <summary>Whether <paramref name="type"/> is a <c>DingCustomEvent</c> payload of one of <paramref name="tags"/> (the shared rule).</summary>
    public bool IsCustomPayloadOf(ITypeSymbol type, IEnumerable<string> tags) =>
        _customPayloadIndex.IsPayloadOf(HandlerShapeRules.MetadataName(type), tags);

    /// <summary>
    /// The known tag closest to <paramref name="tag"/>, or null when none is near. Case differences count for nothing,
    /// other edits count one each; up to a quarter of the tag's length (at least 1, at most 3) may differ.
    /// Ties go to the ordinally first tag, so the answer is deterministic.
    /// </summary>
    public string? Suggest(string tag)
    {
        var limit = Math.Min(3, Math.Max(1, tag.Length / 4));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in _events.Keys)
        {
            if (candidate == tag || Math.Abs(candidate.Length - tag.Length) > limit)
            {
                continue;
            }

            var distance = EventCatalogReader.Distance(tag, candidate, limit);
            if (distance <= limit && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0)))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }
}

/// <summary>Reads the <see cref="EventCatalog"/> of a compilation.</summary>
internal static class EventCatalogReader
{
    private static readonly ConditionalWeakTable<Compilation, EventCatalog> ByCompilation = new();

    /// <summary>
    /// The catalogue of <paramref name="compilation"/>, read once and shared by every analyzer of the compilation (and by
    /// later compilation-start actions of the same compilation).
    /// </summary>
    public static EventCatalog GetOrRead(Compilation compilation) =>
        ByCompilation.GetValue(compilation, static c => Read(c, CancellationToken.None));

    public static EventCatalog Read(Compilation compilation, CancellationToken cancellationToken)
    {
        var events = ImmutableDictionary.CreateBuilder<string, KnownEvent>(StringComparer.Ordinal);
        var customPayloads = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        var customIndex = new CustomPayloadIndex();

        var catalogue = compilation.GetBestTypeByMetadataName(KnownNames.DingEventTypes);
        if (catalogue is not null)
        {
            foreach (var member in catalogue.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IFieldSymbol { IsConst: true, ConstantValue: string tag } field || events.ContainsKey(tag))
                {
                    continue;
                }

                events[tag] = new KnownEvent(tag, field.Name, ReadPayloadAttribute(field), ImmutableArray<ITypeSymbol>.Empty);
            }
        }

        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!CustomEventRules.TryRead(attribute, out var tag, out var type))
            {
                continue;
            }

            customPayloads.Add(type);
            customIndex.Add(tag, HandlerShapeRules.MetadataName(type));
            events[tag] = events.TryGetValue(tag, out var known)
                ? known.WithCustomPayload(type)
                : new KnownEvent(tag, null, null, ImmutableArray.Create(type));
        }

        var generic = compilation.GetBestTypeByMetadataName(KnownNames.DingGenericEvent);
        var handshakes = catalogue is null ? HandshakeEvents.None : HandshakeEvents.Of(compilation);
        return new EventCatalog(catalogue is not null, events.ToImmutable(), customPayloads.ToImmutable(), customIndex, generic, handshakes);
    }

    /// <summary>Levenshtein distance with case folded, cut short once every path exceeds <paramref name="limit"/>.</summary>
    public static int Distance(string a, string b, int limit)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return rowMin;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static ITypeSymbol? ReadPayloadAttribute(IFieldSymbol field)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls
                && TypeLookup.IsType(cls, KnownNames.DingEventPayloadAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is ITypeSymbol payload)
            {
                return payload;
            }
        }

        return null;
    }
}
