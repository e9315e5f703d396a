using DingGen.Common;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[DingRobotMessage]</c> or <c>[DingCardCallback]</c> method into an <see cref="InteractionHandlerModel"/>, or null
/// when the generated code cannot call it (the analyzers say why).
/// </summary>
internal static class InteractionParser
{
    public static InteractionHandlerModel? TryParse(GeneratorAttributeSyntaxContext context, InteractionKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || context.Attributes.Length != 1)
        {
            return null;
        }

        var shape = InteractionHandlerRules.Read(method, kind, cancellationToken);
        if (!shape.IsCallable || InteractionHandlerRules.HasMixedKinds(method) || HandlerParser.HasErrorTypes(method))
        {
            return null;
        }

        var attribute = context.Attributes[0];
        var parameters = HandlerParser.ReadParameters(shape, out var signature);
        var containing = TypeNames.Of(method.ContainingType);
        var isRobot = kind == InteractionKind.RobotMessage;
        return new InteractionHandlerModel(
            kind,
            containing.Fqn,
            containing.DisplayName + "." + method.Name,
            HandlerParser.Identifier(method.Name),
            containing.Fqn + "." + method.Name + "(" + signature + ")",
            method.IsStatic,
            shape.ReturnKind,
            new EquatableArray<ParameterModel>(parameters),
            isRobot ? InteractionHandlerRules.ReadFilter(attribute, KnownNames.MsgTypeProperty) : null,
            isRobot ? InteractionHandlerRules.ReadFilter(attribute, KnownNames.RobotCodeProperty) : null,
            isRobot ? null : InteractionHandlerRules.ReadFilter(attribute, KnownNames.ActionIdProperty));
    }
}
