using DingGen.Common;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Parsing;

/// <summary>Takes the few equatable facts the emitters need from a <see cref="Compilation"/>.</summary>
internal static class CompilationFacts
{
    private static readonly string GeneratorVersion = typeof(CompilationFacts).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    public static CompilationFactsModel From(Compilation compilation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hasRuntime = compilation.GetTypeByMetadataName(KnownNames.DingEventDispatcher) is not null
            && compilation.GetTypeByMetadataName(KnownNames.ServiceCollection) is not null;
        return new CompilationFactsModel(compilation.AssemblyName ?? "Assembly", hasRuntime, GeneratorVersion);
    }

    /// <summary>The <c>[assembly: DingCustomEvent(tag, typeof(T))]</c> declarations of the compilation, sorted.</summary>
    public static EquatableArray<CustomEventModel> CustomEvents(Compilation compilation, CancellationToken cancellationToken)
    {
        var result = new List<CustomEventModel>();
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass is null
                || HandlerShapeRules.MetadataName(attribute.AttributeClass) != KnownNames.DingCustomEventAttribute
                || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not string tag
                || attribute.ConstructorArguments[1].Value is not ITypeSymbol type)
            {
                continue;
            }

            result.Add(new CustomEventModel(tag, HandlerShapeRules.MetadataName(type)));
        }

        result.Sort(static (a, b) =>
        {
            var byTag = string.CompareOrdinal(a.EventTag, b.EventTag);
            return byTag != 0 ? byTag : string.CompareOrdinal(a.PayloadMetadataName, b.PayloadMetadataName);
        });
        return result.ToEquatableArray();
    }
}
