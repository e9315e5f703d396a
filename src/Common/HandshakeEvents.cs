using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>
/// The handshake events of a compilation: the <c>DingGen.DingEventTypes</c> constants the catalogue marks with
/// <c>[DingEventPayload(typeof(T), Handshake = true)]</c>. The endpoint answers them itself, so a handler on one never
/// runs: the analyzers report it (DING008) and the generator neither dispatches it nor lists it in <c>DingEventTags.All</c>.
/// </summary>
/// <remarks>
/// The set comes only from the catalogue's marks; nothing is hard-coded. A compilation without the catalogue (no
/// DingGen.dll, as in some generator tests) has no handshake events: the generator emits nothing there anyway, because it
/// needs the runtime's dispatcher contract. The set is read once per compilation and shared by every consumer; reading it
/// is one type look-up and a walk over the catalogue's constants, whose attributes metadata symbols keep decoded across
/// compilations.
/// </remarks>
internal sealed class HandshakeEvents
{
    private static readonly ConditionalWeakTable<Compilation, HandshakeEvents> ByCompilation = new();

    private readonly ImmutableHashSet<string> _tags;

    private HandshakeEvents(ImmutableHashSet<string> tags)
    {
        _tags = tags;
    }

    /// <summary>No handshake events (no catalogue).</summary>
    public static HandshakeEvents None { get; } = new(ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal));

    /// <summary>The marked tags, in ordinal order.</summary>
    public ImmutableArray<string> Tags => _tags.OrderBy(static tag => tag, StringComparer.Ordinal).ToImmutableArray();

    /// <summary>Whether <paramref name="tag"/> is a handshake event.</summary>
    public bool Contains(string tag) => _tags.Contains(tag);

    /// <summary>The handshake events of the catalogue <paramref name="compilation"/> sees (read once per compilation).</summary>
    public static HandshakeEvents Of(Compilation compilation) =>
        ByCompilation.GetValue(compilation, static c => Read(c.GetBestTypeByMetadataName(KnownNames.DingEventTypes)));

    /// <summary>The constants of <paramref name="catalogue"/> marked <c>Handshake = true</c>.</summary>
    public static HandshakeEvents Read(INamedTypeSymbol? catalogue)
    {
        if (catalogue is null)
        {
            return None;
        }

        var tags = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var member in catalogue.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: string tag } field && IsMarked(field))
            {
                tags.Add(tag);
            }
        }

        return tags.Count == 0 ? None : new HandshakeEvents(tags.ToImmutable());
    }

    /// <summary>Whether the constant's <c>[DingEventPayload]</c> says <c>Handshake = true</c>.</summary>
    private static bool IsMarked(IFieldSymbol field)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (attribute.AttributeClass is not { } cls || !TypeLookup.IsType(cls, KnownNames.DingEventPayloadAttribute))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == KnownNames.HandshakeProperty && argument.Value.Value is true)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
