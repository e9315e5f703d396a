using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// Checks the event types a handler names: unknown (DING001, with the nearest known tag), empty or not constant
/// (DING006), named twice (DING007), or a handshake event (DING008). Reported on the attribute argument.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownEventTypeAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(
        DiagnosticDescriptors.UnknownEventType,
        DiagnosticDescriptors.InvalidEventType,
        DiagnosticDescriptors.DuplicateEventType,
        DiagnosticDescriptors.HandshakeEventHandler);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var eventAttribute = EventCatalogReader.GetBestTypeByMetadataName(start.Compilation, KnownNames.DingEventAttribute);
            if (eventAttribute is null)
            {
                return;
            }

            var catalog = EventCatalogReader.Read(start.Compilation, start.CancellationToken);
            start.RegisterSymbolAction(symbol => Analyze(symbol, eventAttribute, catalog), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol eventAttribute, EventCatalog catalog)
    {
        var method = (IMethodSymbol)context.Symbol;
        var uses = HandlerEvents.Read(method, eventAttribute, catalog);
        foreach (var use in uses)
        {
            var ct = context.CancellationToken;
            switch (use.Status)
            {
                case EventTagStatus.Invalid:
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidEventType, use.GetArgumentLocation(ct), use.GetArgumentText(ct)));
                    break;
                case EventTagStatus.Handshake:
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandshakeEventHandler, use.GetArgumentLocation(ct), use.Tag));
                    break;
                case EventTagStatus.Duplicate:
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateEventType, use.GetArgumentLocation(ct), method.Name, use.Tag));
                    break;
                case EventTagStatus.Unknown:
                    ReportUnknown(context, use, catalog);
                    break;
            }
        }
    }

    private static void ReportUnknown(SymbolAnalysisContext context, EventTagUse use, EventCatalog catalog)
    {
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

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnknownEventType,
            use.GetArgumentLocation(context.CancellationToken),
            properties,
            tag,
            hint));
    }
}
