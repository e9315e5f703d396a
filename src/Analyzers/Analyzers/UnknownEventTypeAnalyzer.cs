using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>DING001: an event type neither the catalogue nor a <c>DingCustomEvent</c> knows, with the nearest known tag.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownEventTypeAnalyzer : EventTagAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UnknownEventTypeAnalyzer()
        : base(DiagnosticDescriptors.UnknownEventType)
    {
    }

    private protected override Finding? Describe(IMethodSymbol method, EventTagUse use, EventCatalog catalog, CancellationToken cancellationToken)
    {
        if (!HandlerEvents.IsUnknown(use, catalog))
        {
            return null;
        }

        var tag = use.Tag!;
        var suggestion = catalog.Suggest(tag);
        var properties = ImmutableDictionary<string, string?>.Empty;
        string hint;
        if (suggestion is not null)
        {
            hint = "; did you mean '" + suggestion + "'?";
            properties = properties.Add(DiagnosticProperties.SuggestedTag, suggestion);
            if (catalog.Find(suggestion)?.ConstantName is { } constant)
            {
                properties = properties.Add(DiagnosticProperties.SuggestedConstant, constant);
            }
        }
        else
        {
            hint = "; declare events DingTalk added later with [assembly: DingCustomEvent(\"" + tag + "\", typeof(Payload))]";
        }

        return new Finding(properties, tag, hint);
    }
}
