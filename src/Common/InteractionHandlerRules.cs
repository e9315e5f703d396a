using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>The two kinds of interaction handlers: <c>[DingRobotMessage]</c> and <c>[DingCardCallback]</c>.</summary>
internal enum InteractionKind
{
    RobotMessage,
    CardCallback,
}

/// <summary>The handler attributes a method carries, as flags (a method may carry only one kind).</summary>
[Flags]
internal enum HandlerAttributeKinds
{
    None = 0,
    Event = 1,
    RobotMessage = 2,
    CardCallback = 4,
}

/// <summary>The types and names of one <see cref="InteractionKind"/>: what its handlers receive and may return.</summary>
internal sealed class InteractionKindInfo
{
    public InteractionKindInfo(InteractionKind kind, string attribute, string message, string context, string response, string handlerText, string failureTag)
    {
        Kind = kind;
        Attribute = attribute;
        Message = message;
        Context = context;
        Response = response;
        HandlerText = handlerText;
        FailureTag = failureTag;
    }

    public InteractionKind Kind { get; }

    /// <summary>The attribute's metadata name.</summary>
    public string Attribute { get; }

    /// <summary>The metadata name of the message (robot) or callback (card) the handler receives.</summary>
    public string Message { get; }

    /// <summary>The metadata name of the kind's context.</summary>
    public string Context { get; }

    /// <summary>The metadata name of the response a handler may return.</summary>
    public string Response { get; }

    /// <summary>How messages name the handler: "robot message handler" or "card callback handler".</summary>
    public string HandlerText { get; }

    /// <summary>The <c>EventType</c> of a <c>DingHandlerFailure</c> of this kind: <c>robot_message</c> or <c>card_callback</c>.</summary>
    public string FailureTag { get; }

    /// <summary>The simple name of a metadata name (<c>DingGen.Events.DingRobotMessage</c> → <c>DingRobotMessage</c>).</summary>
    public static string SimpleName(string metadataName) => metadataName.Substring(metadataName.LastIndexOf('.') + 1);
}

/// <summary>
/// The one rule for reading <c>[DingRobotMessage]</c> and <c>[DingCardCallback]</c> handlers, shared as linked source by the
/// generator and the analyzers (like <see cref="HandlerShapeRules"/>, whose calling and reachability rules it reuses). A
/// handler takes, in any order, its kind's message, its kind's context, a <c>CancellationToken</c> and DI services; it returns
/// nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>) or its kind's response (directly, or in a <c>Task&lt;T&gt;</c> or
/// <c>ValueTask&lt;T&gt;</c>, nullable or not).
/// </summary>
internal static class InteractionHandlerRules
{
    public static readonly InteractionKindInfo Robot = new(
        InteractionKind.RobotMessage,
        KnownNames.DingRobotMessageAttribute,
        KnownNames.DingRobotMessage,
        KnownNames.DingRobotMessageContext,
        KnownNames.DingRobotReply,
        "robot message handler",
        "robot_message");

    public static readonly InteractionKindInfo Card = new(
        InteractionKind.CardCallback,
        KnownNames.DingCardCallbackAttribute,
        KnownNames.DingCardCallback,
        KnownNames.DingCardCallbackContext,
        KnownNames.DingCardUpdate,
        "card callback handler",
        "card_callback");

    public static InteractionKindInfo Of(InteractionKind kind) => kind == InteractionKind.RobotMessage ? Robot : Card;

    /// <summary>The handler attributes of <paramref name="method"/> (<c>[DingEvent]</c>, <c>[DingRobotMessage]</c>, <c>[DingCardCallback]</c>).</summary>
    public static HandlerAttributeKinds KindsOf(IMethodSymbol method)
    {
        var kinds = HandlerAttributeKinds.None;
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is not { } cls)
            {
                continue;
            }

            if (TypeLookup.IsType(cls, KnownNames.DingEventAttribute))
            {
                kinds |= HandlerAttributeKinds.Event;
            }
            else if (TypeLookup.IsType(cls, KnownNames.DingRobotMessageAttribute))
            {
                kinds |= HandlerAttributeKinds.RobotMessage;
            }
            else if (TypeLookup.IsType(cls, KnownNames.DingCardCallbackAttribute))
            {
                kinds |= HandlerAttributeKinds.CardCallback;
            }
        }

        return kinds;
    }

    /// <summary>
    /// DING011: a method that carries more than one kind of handler attribute. The generator skips it for every kind (one
    /// method cannot receive an event, a robot message and a card callback).
    /// </summary>
    public static bool HasMixedKinds(IMethodSymbol method)
    {
        var kinds = (int)KindsOf(method);
        return (kinds & (kinds - 1)) != 0;
    }

    /// <summary>Reads <paramref name="method"/> as a handler of <paramref name="kind"/>.</summary>
    public static HandlerShape Read(IMethodSymbol method, InteractionKind kind, CancellationToken cancellationToken)
    {
        var info = Of(kind);
        var problems = ImmutableArray.CreateBuilder<HandlerProblem>();
        if (method.IsGenericMethod)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.GenericMethod, "it is a generic method"));
        }

        var returnKind = ReadReturnKind(method.ReturnType, info);
        if (returnKind == HandlerReturnKind.Unsupported)
        {
            var response = InteractionKindInfo.SimpleName(info.Response);
            problems.Add(new HandlerProblem(
                HandlerProblemKind.WrongReturnType,
                HandlerProblemCode.WrongReturnType,
                $"its return type '{method.ReturnType.ToDisplayString()}' is not void, Task, ValueTask, {response}, Task<{response}?> or ValueTask<{response}?>"));
        }

        var parameters = ImmutableArray.CreateBuilder<HandlerParameterShape>(method.Parameters.Length);
        HandlerParameterShape? firstMessage = null;
        foreach (var parameter in method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HandlerShapeRules.ReadPassingProblems(parameter, problems);
            var shape = ReadParameter(parameter, info, problems);
            if (shape.Kind == HandlerParameterKind.Payload)
            {
                if (firstMessage is null)
                {
                    firstMessage = shape;
                }
                else
                {
                    problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.TwoPayloads, $"parameters '{firstMessage.Symbol.Name}' and '{parameter.Name}' both take the {InteractionKindInfo.SimpleName(info.Message)}"));
                }
            }

            parameters.Add(shape);
        }

        HandlerShapeRules.ReadReachability(method, problems);
        HandlerShapeRules.ReadObsoleteErrors(method, problems);
        var isAsyncVoid = method.IsAsync && method.ReturnsVoid;
        return new HandlerShape(method, returnKind, isAsyncVoid, parameters.MoveToImmutable(), problems.ToImmutable());
    }

    /// <summary>The value of the named argument <paramref name="name"/> of <paramref name="attribute"/>, or null when absent.</summary>
    public static string? ReadFilter(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value.Value as string;
            }
        }

        return null;
    }

    /// <summary>The <c>[DingRobotMessage]</c> or <c>[DingCardCallback]</c> attribute of <paramref name="method"/>, or null.</summary>
    public static AttributeData? FindAttribute(IMethodSymbol method, InteractionKind kind)
    {
        var name = Of(kind).Attribute;
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls && TypeLookup.IsType(cls, name))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// The message types <c>DingRobotMessageTypes</c> declares (its <c>const string</c> fields), read from the compilation's
    /// DingGen.dll; empty when the runtime has none.
    /// </summary>
    public static ImmutableArray<(string Name, string Value)> ReadKnownMsgTypes(Compilation compilation)
    {
        if (compilation.GetBestTypeByMetadataName(KnownNames.DingRobotMessageTypes) is not { } types)
        {
            return ImmutableArray<(string, string)>.Empty;
        }

        var known = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var member in types.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: string value } field)
            {
                known.Add((field.Name, value));
            }
        }

        return known.ToImmutable();
    }

    /// <summary>
    /// DING012's suggestion: the known message type nearest to <paramref name="msgType"/> (case folded, at most a few edits
    /// away), or null.
    /// </summary>
    public static (string Name, string Value)? Suggest(string msgType, ImmutableArray<(string Name, string Value)> known)
    {
        var limit = Math.Min(3, Math.Max(1, msgType.Length / 3));
        (string Name, string Value)? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            if (Math.Abs(candidate.Value.Length - msgType.Length) > limit)
            {
                continue;
            }

            var distance = EventCatalogReader.Distance(msgType, candidate.Value, limit);
            if (distance <= limit && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate.Value, best!.Value.Value) < 0)))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static HandlerParameterShape ReadParameter(IParameterSymbol parameter, InteractionKindInfo info, ImmutableArray<HandlerProblem>.Builder problems)
    {
        var type = parameter.Type;
        if (TypeLookup.IsType(type, info.Message))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Payload, PayloadKind.Typed, false, null);
        }

        if (TypeLookup.IsType(type, info.Context))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Context, PayloadKind.None, false, null);
        }

        if (TypeLookup.IsType(type, KnownNames.CancellationToken))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.CancellationToken, PayloadKind.None, false, null);
        }

        if (WrongParameterExpectation(parameter, info) is { } expected)
        {
            problems.Add(new HandlerProblem(
                HandlerProblemKind.WrongParameter,
                HandlerProblemCode.WrongParameterType,
                $"parameter '{parameter.Name}' is a {type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}, which a {info.HandlerText} never receives; take a {InteractionKindInfo.SimpleName(expected)}",
                parameter,
                expected));
            return new HandlerParameterShape(parameter, HandlerParameterKind.Service, PayloadKind.None, false, null);
        }

        var nullable = type.NullableAnnotation == NullableAnnotation.Annotated
            || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T });
        TypedConstant? key = null;
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls && TypeLookup.IsType(cls, KnownNames.FromKeyedServicesAttribute) && attribute.ConstructorArguments.Length == 1)
            {
                key = attribute.ConstructorArguments[0];
            }
        }

        return new HandlerParameterShape(parameter, HandlerParameterKind.Service, PayloadKind.None, nullable, key);
    }

    /// <summary>
    /// DING009: the type a parameter should have when it takes what another kind of handler receives: the other kind's
    /// message, an event payload (catalogue record, <c>JsonElement</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>[DingPayload]</c>)
    /// → this kind's message; another kind's context or <c>DingEventContext</c> → this kind's context. Null for a DI service.
    /// </summary>
    private static string? WrongParameterExpectation(IParameterSymbol parameter, InteractionKindInfo info)
    {
        var type = parameter.Type;
        var other = info.Kind == InteractionKind.RobotMessage ? Card : Robot;
        if (TypeLookup.IsType(type, other.Context) || TypeLookup.IsType(type, KnownNames.DingEventContext))
        {
            return info.Context;
        }

        var isEventPayload = TypeLookup.IsType(type, other.Message)
            || HandlerShapeRules.IsCatalogueRecord(type)
            || TypeLookup.IsType(type, KnownNames.JsonElement)
            || (type is INamedTypeSymbol { IsGenericType: true } generic
                && TypeLookup.IsType(generic.OriginalDefinition, KnownNames.ReadOnlyMemory)
                && generic.TypeArguments[0].SpecialType == SpecialType.System_Byte)
            || HandlerShapeRules.HasAttribute(parameter, KnownNames.DingPayloadAttribute);
        return isEventPayload ? info.Message : null;
    }

    private static HandlerReturnKind ReadReturnKind(ITypeSymbol returnType, InteractionKindInfo info)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return HandlerReturnKind.Void;
        }

        if (TypeLookup.IsType(returnType, KnownNames.Task))
        {
            return HandlerReturnKind.Task;
        }

        if (TypeLookup.IsType(returnType, KnownNames.ValueTask))
        {
            return HandlerReturnKind.ValueTask;
        }

        if (TypeLookup.IsType(returnType, info.Response))
        {
            return HandlerReturnKind.Response;
        }

        if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && TypeLookup.IsType(generic.TypeArguments[0], info.Response))
        {
            if (TypeLookup.IsType(generic.OriginalDefinition, KnownNames.TaskOfT))
            {
                return HandlerReturnKind.TaskOfResponse;
            }

            if (TypeLookup.IsType(generic.OriginalDefinition, KnownNames.ValueTaskOfT))
            {
                return HandlerReturnKind.ValueTaskOfResponse;
            }
        }

        return HandlerReturnKind.Unsupported;
    }
}
