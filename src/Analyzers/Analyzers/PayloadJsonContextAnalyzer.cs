using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// DING050: a user payload type (a <c>[DingPayload]</c> parameter type or a <c>DingCustomEvent</c> type a handler
/// takes) that no <c>JsonSerializerContext</c> of the project or its references lists. Catalogue records,
/// <c>JsonElement</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> are decoded by DingGen itself and never reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PayloadJsonContextAnalyzer : HandlerAnalyzerBase
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(DiagnosticDescriptors.PayloadNotInJsonContext);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis)
    {
        var compilation = context.Compilation;
        var contextType = compilation.GetBestTypeByMetadataName(KnownNames.JsonSerializerContext);
        if (contextType is null)
        {
            return;
        }

        // Walking the contexts costs something, so it happens only when a handler takes a user payload.
        var cancellationToken = context.CancellationToken;
        var knownTypes = new Lazy<ImmutableHashSet<ITypeSymbol>>(
            () => JsonContextTypes.Collect(compilation, contextType, cancellationToken),
            LazyThreadSafetyMode.ExecutionAndPublication);
        context.RegisterSymbolAction(symbol => Analyze(symbol, analysis.EventAttribute, analysis.Catalog, knownTypes), SymbolKind.Method);
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol eventAttribute, EventCatalog catalog, Lazy<ImmutableHashSet<ITypeSymbol>> knownTypes)
    {
        var method = (IMethodSymbol)context.Symbol;
        var uses = HandlerEvents.Read(method, eventAttribute, catalog, context.CancellationToken);
        if (uses.IsEmpty || method.MethodKind != MethodKind.Ordinary)
        {
            return;
        }

        var shape = HandlerEvents.ReadShape(method, EventTagRules.RoutedTags(uses), catalog, context.CancellationToken);
        if (shape.Payload is not { PayloadKind: PayloadKind.Typed } payload)
        {
            return;
        }

        var type = payload.Symbol.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (type.TypeKind == TypeKind.Error || catalog.IsCatalogueRecord(type) || knownTypes.Value.Contains(type))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.PayloadNotInJsonContext,
            HandlerEvents.GetParameterTypeLocation(payload.Symbol, context.CancellationToken),
            ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.PayloadType, HandlerShapeRules.MetadataName(type)),
            type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
    }
}
