using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// Checks a handler's signature with the rule the generator uses (<see cref="HandlerShapeRules"/>, and
/// <see cref="InteractionHandlerRules"/> for robot and card handlers): the payload must fit its events (DING002), the
/// generated code must be able to call it (DING003) and reach it (DING004), it should not be <c>async void</c> (DING005),
/// and a robot or card handler must take (DING009) and return (DING010) what its kind passes and expects.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class HandlerSignatureAnalyzer : HandlerAnalyzerBase
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(
        DiagnosticDescriptors.PayloadMismatch,
        DiagnosticDescriptors.HandlerNotCallable,
        DiagnosticDescriptors.HandlerNotReachable,
        DiagnosticDescriptors.AsyncVoidHandler,
        DiagnosticDescriptors.InteractionParameterMismatch,
        DiagnosticDescriptors.InteractionReturnType);

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis)
    {
        context.RegisterSymbolAction(symbol => Analyze(symbol, analysis.EventAttribute, analysis.Catalog), SymbolKind.Method);
        StartInteractions(context);

        // Symbol actions never see local functions, and the generator ignores them: say so.
        context.RegisterSyntaxNodeAction(node => AnalyzeLocalFunction(node), SyntaxKind.LocalFunctionStatement);
    }

    private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context)
    {
        var declaration = (LocalFunctionStatementSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not IMethodSymbol method)
        {
            return;
        }

        if (InteractionHandlerRules.KindsOf(method) != HandlerAttributeKinds.None)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HandlerNotCallable,
                declaration.Identifier.GetLocation(),
                method.Name,
                "it is a local function"));
        }
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol eventAttribute, EventCatalog catalog)
    {
        var method = (IMethodSymbol)context.Symbol;
        var uses = HandlerEvents.Read(method, eventAttribute, catalog, context.CancellationToken);
        if (uses.IsEmpty || InteractionHandlerRules.HasMixedKinds(method))
        {
            // A method that is also a robot or card handler is reported once, as DING011.
            return;
        }

        var location = method.Locations.Length > 0 ? method.Locations[0] : Location.None;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandlerNotCallable, location, method.Name, "it is not an ordinary method"));
            return;
        }

        var routed = EventTagRules.RoutedTags(uses);
        var shape = HandlerEvents.ReadShape(method, routed, catalog, context.CancellationToken);
        ReportProblems(context, shape, location);

        if (shape.IsAsyncVoid)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidHandler, location, method.Name));
        }

        if (shape.Payload is { PayloadKind: PayloadKind.Typed } payload)
        {
            CheckPayloadFits(context, payload.Symbol, routed, catalog);
        }
        else if (shape.Payload is null)
        {
            // The DingCustomEvent type of another event is not this handler's payload: the generator would resolve it
            // from DI. That is never what was meant, so it is reported as a payload that does not fit.
            foreach (var parameter in shape.Parameters)
            {
                if (parameter.Kind == HandlerParameterKind.Service && catalog.IsCustomPayload(parameter.Symbol.Type))
                {
                    CheckPayloadFits(context, parameter.Symbol, routed, catalog);
                    break;
                }
            }
        }
    }

    private static void ReportProblems(SymbolAnalysisContext context, HandlerShape shape, Location location)
    {
        var cannotCall = new List<string>();
        var notReachable = new List<string>();
        var returnTypeProblem = false;
        var onlyAccessibility = true;
        foreach (var problem in shape.Problems)
        {
            if (problem.Kind == HandlerProblemKind.CannotCall)
            {
                cannotCall.Add(problem.Reason);
                returnTypeProblem |= problem.Code == HandlerProblemCode.UnsupportedReturnType;
            }
            else if (problem.Kind == HandlerProblemKind.NotReachable)
            {
                notReachable.Add(problem.Reason);
                onlyAccessibility &= problem.Code is HandlerProblemCode.MethodNotAccessible or HandlerProblemCode.TypeNotAccessible;
            }
        }

        var method = shape.Method;
        if (cannotCall.Count > 0)
        {
            var properties = returnTypeProblem
                ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.ReturnTypeFixable, "true")
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandlerNotCallable, location, properties, method.Name, string.Join("; ", cannotCall)));
        }

        if (notReachable.Count > 0)
        {
            // Making an override or an explicit interface implementation internal would break it; leave that to the user.
            var fixable = onlyAccessibility && !method.IsOverride && method.ExplicitInterfaceImplementations.IsEmpty;
            var properties = fixable
                ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.MakeInternalFixable, "true")
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandlerNotReachable, location, properties, method.Name, string.Join("; ", notReachable)));
        }
    }

    /// <summary>
    /// DING002. A typed payload fits an event when it is the event's payload record (catalogue or <c>DingCustomEvent</c>)
    /// or a base type of it; <c>DingGenericEvent</c> fits every event. A user type marked <c>[DingPayload]</c> that is
    /// neither a catalogue record nor a custom payload is the user's own decoding choice and fits any event.
    /// </summary>
    private static void CheckPayloadFits(SymbolAnalysisContext context, IParameterSymbol parameter, ImmutableArray<string> routed, EventCatalog catalog)
    {
        var type = parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (SymbolEqualityComparer.Default.Equals(type, catalog.GenericEvent)
            || (!catalog.IsCatalogueRecord(type) && !catalog.IsCustomPayload(type)))
        {
            return;
        }

        var misfits = new List<string>();
        var expected = new List<ITypeSymbol>();
        foreach (var tag in routed)
        {
            if (catalog.Find(tag) is not { } known)
            {
                continue;
            }

            var payloads = known.CataloguePayload is { } cataloguePayload ? known.CustomPayloads.Insert(0, cataloguePayload) : known.CustomPayloads;
            if (payloads.IsEmpty)
            {
                continue;
            }

            expected.Add(payloads[0]);
            var fits = false;
            foreach (var payload in payloads)
            {
                fits |= IsSameOrBase(type, payload);
            }

            if (!fits)
            {
                misfits.Add(tag);
            }
        }

        if (misfits.Count == 0)
        {
            return;
        }

        var fitting = CommonBase(expected);
        var properties = fitting is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.FittingType, HandlerShapeRules.MetadataName(fitting));
        var events = misfits.Count == 1 ? "event '" + misfits[0] + "'" : "events '" + string.Join("', '", misfits) + "'";
        string advice;
        if (fitting is not null)
        {
            advice = "use '" + fitting.ToDisplayString(TypeFormat) + "'" + (expected.Count > 1 ? ", which fits all of the method's events" : string.Empty);
        }
        else
        {
            advice = "no single payload type fits all of the method's events; take "
                + (catalog.GenericEvent is null ? string.Empty : "'" + catalog.GenericEvent.ToDisplayString(TypeFormat) + "', ")
                + "JsonElement or write one handler per event";
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.PayloadMismatch,
            HandlerEvents.GetParameterTypeLocation(parameter, context.CancellationToken),
            properties,
            type.ToDisplayString(TypeFormat),
            events,
            advice));
    }

    /// <summary>The most derived type that is the same as or a base of every type in <paramref name="types"/> (never <c>object</c>).</summary>
    private static ITypeSymbol? CommonBase(List<ITypeSymbol> types)
    {
        for (var candidate = types[0]; candidate is not null && candidate.SpecialType != SpecialType.System_Object; candidate = candidate.BaseType)
        {
            var all = true;
            foreach (var type in types)
            {
                all &= IsSameOrBase(candidate, type);
            }

            if (all)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsSameOrBase(ITypeSymbol candidate, ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
