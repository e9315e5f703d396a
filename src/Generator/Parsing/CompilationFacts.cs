using System.Collections.Immutable;
using DingGen.Common;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Parsing;

/// <summary>Takes the few equatable facts the emitters need from a <see cref="Compilation"/> and its assembly attributes.</summary>
internal static class CompilationFacts
{
    private static readonly string GeneratorVersion = typeof(CompilationFacts).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <summary>The assembly name and whether the runtime is referenced: two type look-ups, no walk over the compilation.</summary>
    public static CompilationFactsModel From(Compilation compilation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hasRuntime = compilation.GetBestTypeByMetadataName(KnownNames.DingEventDispatcher) is not null
            && compilation.GetBestTypeByMetadataName(KnownNames.ServiceCollection) is not null;
        return new CompilationFactsModel(compilation.AssemblyName ?? "Assembly", hasRuntime, GeneratorVersion);
    }

    /// <summary>
    /// The <c>[assembly: DingCustomEvent(tag, typeof(T))]</c> attributes of one file, found by
    /// <c>ForAttributeWithMetadataName</c> (so files without one are never looked at), read by the shared rule
    /// (<see cref="CustomEventRules.TryRead"/>).
    /// </summary>
    public static EquatableArray<CustomEventModel> ReadCustomEvents(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var result = new List<CustomEventModel>(context.Attributes.Length);
        foreach (var attribute in context.Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (CustomEventRules.TryRead(attribute, out var tag, out var payload))
            {
                result.Add(new CustomEventModel(tag, HandlerShapeRules.MetadataName(payload)));
            }
        }

        return result.ToEquatableArray();
    }

    /// <summary>The custom events of every file, distinct and sorted (by tag, then payload).</summary>
    public static EquatableArray<CustomEventModel> CombineCustomEvents(ImmutableArray<EquatableArray<CustomEventModel>> files, CancellationToken cancellationToken)
    {
        var result = new List<CustomEventModel>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var custom in file)
            {
                if (!result.Contains(custom))
                {
                    result.Add(custom);
                }
            }
        }

        result.Sort(static (a, b) =>
        {
            var byTag = string.CompareOrdinal(a.EventTag, b.EventTag);
            return byTag != 0 ? byTag : string.CompareOrdinal(a.PayloadMetadataName, b.PayloadMetadataName);
        });
        return result.ToEquatableArray();
    }
}
