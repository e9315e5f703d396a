using System.Collections.Immutable;
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
/// The catalogue is found by metadata name wherever it is declared (normally in DingGen.dll). Its payload records, and
/// their base records in the same namespace, count as catalogue records in addition to what
/// <see cref="HandlerShapeRules.IsCatalogueRecord"/> accepts (namespace <c>DingGen.Events</c> of assembly <c>DingGen</c>).
/// For the real DingGen.dll both sets are the same; the wider set lets tests declare a stand-in catalogue in source.
/// </remarks>
internal sealed class EventCatalog
{
    private readonly ImmutableDictionary<string, KnownEvent> _events;
    private readonly ImmutableHashSet<ITypeSymbol> _catalogueRecords;
    private readonly ImmutableHashSet<ITypeSymbol> _customPayloads;

    public EventCatalog(bool hasCatalogue, ImmutableDictionary<string, KnownEvent> events, ImmutableHashSet<ITypeSymbol> catalogueRecords, ImmutableHashSet<ITypeSymbol> customPayloads, INamedTypeSymbol? genericEvent)
    {
        HasCatalogue = hasCatalogue;
        _events = events;
        _catalogueRecords = catalogueRecords;
        _customPayloads = customPayloads;
        GenericEvent = genericEvent;
    }

    /// <summary>Whether <c>DingGen.DingEventTypes</c> was found. Without it no tag can be called unknown.</summary>
    public bool HasCatalogue { get; }

    /// <summary><c>DingGen.Events.DingGenericEvent</c>: envelope fields plus the raw JSON, so it fits every event.</summary>
    public INamedTypeSymbol? GenericEvent { get; }

    public IEnumerable<KnownEvent> Events => _events.Values;

    public KnownEvent? Find(string tag) => _events.TryGetValue(tag, out var known) ? known : null;

    /// <summary>Whether <paramref name="type"/> is a record of the catalogue (named by it, a base of one, or in <c>DingGen.Events</c> of DingGen).</summary>
    public bool IsCatalogueRecord(ITypeSymbol type) =>
        _catalogueRecords.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)) || HandlerShapeRules.IsCatalogueRecord(type);

    /// <summary>Whether <paramref name="type"/> was declared as the payload of any <c>DingCustomEvent</c>.</summary>
    public bool IsCustomPayload(ITypeSymbol type) =>
        _customPayloads.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

    /// <summary>Whether <paramref name="type"/> is a <c>DingCustomEvent</c> payload of one of <paramref name="tags"/> (the generator's rule).</summary>
    public bool IsCustomPayloadOf(ITypeSymbol type, IEnumerable<string> tags)
    {
        var name = HandlerShapeRules.MetadataName(type);
        foreach (var tag in tags)
        {
            if (Find(tag) is { } known)
            {
                foreach (var payload in known.CustomPayloads)
                {
                    if (HandlerShapeRules.MetadataName(payload) == name)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

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
    public const string GenericEventMetadataName = "DingGen.Events.DingGenericEvent";

    public static EventCatalog Read(Compilation compilation, CancellationToken cancellationToken)
    {
        var events = ImmutableDictionary.CreateBuilder<string, KnownEvent>(StringComparer.Ordinal);
        var records = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        var customPayloads = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);

        var catalogue = GetBestTypeByMetadataName(compilation, KnownNames.DingEventTypes);
        if (catalogue is not null)
        {
            foreach (var member in catalogue.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IFieldSymbol { IsConst: true, ConstantValue: string tag } field || events.ContainsKey(tag))
                {
                    continue;
                }

                var payload = ReadPayloadAttribute(field);
                if (payload is not null)
                {
                    AddRecordAndBases(records, payload);
                }

                events[tag] = new KnownEvent(tag, field.Name, payload, ImmutableArray<ITypeSymbol>.Empty);
            }
        }

        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass is null
                || HandlerShapeRules.MetadataName(attribute.AttributeClass) != KnownNames.DingCustomEventAttribute
                || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not string tag
                || string.IsNullOrWhiteSpace(tag)
                || attribute.ConstructorArguments[1].Value is not ITypeSymbol type)
            {
                continue;
            }

            customPayloads.Add(type);
            events[tag] = events.TryGetValue(tag, out var known)
                ? known.WithCustomPayload(type)
                : new KnownEvent(tag, null, null, ImmutableArray.Create(type));
        }

        var generic = GetBestTypeByMetadataName(compilation, GenericEventMetadataName);
        if (generic is not null)
        {
            records.Add(generic);
        }

        return new EventCatalog(catalogue is not null, events.ToImmutable(), records.ToImmutable(), customPayloads.ToImmutable(), generic);
    }

    /// <summary>
    /// Like <see cref="Compilation.GetTypeByMetadataName"/>, but when several assemblies declare the name it prefers the
    /// compilation's own type, then the single one that is accessible, instead of returning null.
    /// </summary>
    public static INamedTypeSymbol? GetBestTypeByMetadataName(Compilation compilation, string metadataName)
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
                && HandlerShapeRules.MetadataName(cls) == KnownNames.DingEventPayloadAttribute
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is ITypeSymbol payload)
            {
                return payload;
            }
        }

        return null;
    }

    private static void AddRecordAndBases(ImmutableHashSet<ITypeSymbol>.Builder records, ITypeSymbol payload)
    {
        records.Add(payload);
        var ns = payload.ContainingNamespace?.ToDisplayString();
        for (var type = payload.BaseType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            if (type.ContainingNamespace?.ToDisplayString() != ns)
            {
                break;
            }

            records.Add(type);
        }
    }
}
