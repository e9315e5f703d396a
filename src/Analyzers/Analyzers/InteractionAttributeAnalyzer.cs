using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>
/// Checks the handler attributes themselves: a method carries one kind of handler attribute (DING011), and a
/// <c>[DingRobotMessage(MsgType = …)]</c> filter names a type DingTalk sends (DING012, with the nearest known type).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InteractionAttributeAnalyzer : HandlerAnalyzerBase
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(
        DiagnosticDescriptors.MixedHandlerKinds,
        DiagnosticDescriptors.UnknownRobotMessageType);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private protected override void Start(CompilationStartAnalysisContext context, HandlerAnalysis analysis)
    {
        if (context.Compilation.GetBestTypeByMetadataName(KnownNames.DingRobotMessageAttribute) is null
            && context.Compilation.GetBestTypeByMetadataName(KnownNames.DingCardCallbackAttribute) is null)
        {
            return;
        }

        var known = InteractionHandlerRules.ReadKnownMsgTypes(context.Compilation);
        context.RegisterSymbolAction(symbol => Analyze(symbol, known), SymbolKind.Method);
    }

    private static void Analyze(SymbolAnalysisContext context, ImmutableArray<(string Name, string Value)> known)
    {
        var method = (IMethodSymbol)context.Symbol;
        var kinds = InteractionHandlerRules.KindsOf(method);
        if (kinds == HandlerAttributeKinds.None)
        {
            return;
        }

        if (InteractionHandlerRules.HasMixedKinds(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.MixedHandlerKinds,
                method.Locations.Length > 0 ? method.Locations[0] : Location.None,
                method.Name,
                Describe(kinds)));
        }

        if ((kinds & HandlerAttributeKinds.RobotMessage) == 0 || known.IsEmpty
            || InteractionHandlerRules.FindAttribute(method, InteractionKind.RobotMessage) is not { } attribute
            || InteractionHandlerRules.ReadFilter(attribute, KnownNames.MsgTypeProperty) is not { } msgType)
        {
            return;
        }

        foreach (var (_, value) in known)
        {
            if (value == msgType)
            {
                return;
            }
        }

        var suggestion = InteractionHandlerRules.Suggest(msgType, known);
        var properties = suggestion is { } found
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.SuggestedMsgTypeConstant, found.Name)
            : ImmutableDictionary<string, string?>.Empty;
        var hint = suggestion is { } match ? "; did you mean '" + match.Value + "' (DingRobotMessageTypes." + match.Name + ")?" : string.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnknownRobotMessageType,
            MsgTypeLocation(attribute, context.CancellationToken),
            properties,
            msgType,
            hint));
    }

    private static string Describe(HandlerAttributeKinds kinds)
    {
        var names = new List<string>(3);
        if ((kinds & HandlerAttributeKinds.Event) != 0)
        {
            names.Add("[DingEvent]");
        }

        if ((kinds & HandlerAttributeKinds.RobotMessage) != 0)
        {
            names.Add("[DingRobotMessage]");
        }

        if ((kinds & HandlerAttributeKinds.CardCallback) != 0)
        {
            names.Add("[DingCardCallback]");
        }

        return string.Join(" and ", names);
    }

    /// <summary>The <c>MsgType = …</c> value in source (where DING012 is reported), or the attribute.</summary>
    private static Location MsgTypeLocation(AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        if (syntax.ArgumentList is { } list)
        {
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == KnownNames.MsgTypeProperty)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return syntax.GetLocation();
    }
}
