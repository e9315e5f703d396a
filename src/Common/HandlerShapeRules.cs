using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DingGen.Common;

/// <summary>What kind of value a handler parameter receives.</summary>
internal enum HandlerParameterKind
{
    Service,
    Payload,
    Context,
    CancellationToken,
}

/// <summary>How a payload parameter is produced from the UTF-8 JSON.</summary>
internal enum PayloadKind
{
    None,
    Typed,
    JsonElement,
    Utf8Memory,
}

/// <summary>The return types a handler may have.</summary>
internal enum HandlerReturnKind
{
    Unsupported,
    Void,
    Task,
    ValueTask,

    /// <summary>A robot or card handler that returns its response (<c>DingRobotReply</c>, <c>DingCardUpdate</c>) synchronously.</summary>
    Response,

    /// <summary>A robot or card handler that returns <c>Task&lt;response?&gt;</c>.</summary>
    TaskOfResponse,

    /// <summary>A robot or card handler that returns <c>ValueTask&lt;response?&gt;</c>.</summary>
    ValueTaskOfResponse,
}

/// <summary>Why the generated code cannot call a handler (DING003) or cannot reach it (DING004).</summary>
internal enum HandlerProblemKind
{
    /// <summary>DING003: the call itself is impossible (generic method, by-ref parameter, return type, two payloads).</summary>
    CannotCall,

    /// <summary>DING004: the method or its type is not reachable from generated code, or the type cannot be instantiated.</summary>
    NotReachable,

    /// <summary>DING009: a robot or card handler parameter that is another kind of handler's message or context.</summary>
    WrongParameter,

    /// <summary>DING010: a robot or card handler whose return type is neither nothing nor its kind's response.</summary>
    WrongReturnType,
}

/// <summary>Which rule a <see cref="HandlerProblem"/> breaks, so code fixes can tell problems apart without parsing the reason.</summary>
internal enum HandlerProblemCode
{
    GenericMethod,
    UnsupportedReturnType,
    ByRefParameter,
    PointerParameter,
    RefStructParameter,
    TwoPayloads,
    MethodNotAccessible,
    TypeNotAccessible,
    FileLocalType,
    OpenGenericType,
    AbstractType,
    NotAClass,
    StaticInterfaceMember,
    ObsoleteAsError,
    WrongParameterType,
    WrongReturnType,
}

/// <summary>One problem with a handler, with a human-readable reason for the diagnostic message.</summary>
internal readonly struct HandlerProblem
{
    public HandlerProblem(HandlerProblemKind kind, HandlerProblemCode code, string reason)
        : this(kind, code, reason, null, null)
    {
    }

    public HandlerProblem(HandlerProblemKind kind, HandlerProblemCode code, string reason, IParameterSymbol? parameter, string? expectedType)
    {
        Kind = kind;
        Code = code;
        Reason = reason;
        Parameter = parameter;
        ExpectedType = expectedType;
    }

    public HandlerProblemKind Kind { get; }

    public HandlerProblemCode Code { get; }

    public string Reason { get; }

    /// <summary>The parameter the problem is about (DING009), when it is about one.</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The metadata name of the type that fixes the problem (DING009), when one does.</summary>
    public string? ExpectedType { get; }
}

/// <summary>A handler parameter as the rule reads it.</summary>
internal sealed class HandlerParameterShape
{
    public HandlerParameterShape(IParameterSymbol symbol, HandlerParameterKind kind, PayloadKind payloadKind, bool isNullableService, TypedConstant? serviceKey)
    {
        Symbol = symbol;
        Kind = kind;
        PayloadKind = payloadKind;
        IsNullableService = isNullableService;
        ServiceKey = serviceKey;
    }

    public IParameterSymbol Symbol { get; }

    public HandlerParameterKind Kind { get; }

    public PayloadKind PayloadKind { get; }

    public bool IsNullableService { get; }

    /// <summary>The key of <c>[FromKeyedServices(key)]</c>, when present.</summary>
    public TypedConstant? ServiceKey { get; }
}

/// <summary>A handler method as the rule reads it: what each parameter is and what (if anything) stops a call.</summary>
internal sealed class HandlerShape
{
    public HandlerShape(IMethodSymbol method, HandlerReturnKind returnKind, bool isAsyncVoid, ImmutableArray<HandlerParameterShape> parameters, ImmutableArray<HandlerProblem> problems)
    {
        Method = method;
        ReturnKind = returnKind;
        IsAsyncVoid = isAsyncVoid;
        Parameters = parameters;
        Problems = problems;
    }

    public IMethodSymbol Method { get; }

    public HandlerReturnKind ReturnKind { get; }

    /// <summary>An <c>async void</c> handler: callable, but its failures are lost (DING005).</summary>
    public bool IsAsyncVoid { get; }

    public ImmutableArray<HandlerParameterShape> Parameters { get; }

    public ImmutableArray<HandlerProblem> Problems { get; }

    /// <summary>Whether the generated dispatcher can call the handler. The generator skips the others; the analyzers say why.</summary>
    public bool IsCallable => Problems.IsEmpty;

    /// <summary>The payload parameter, if the handler has one.</summary>
    public HandlerParameterShape? Payload
    {
        get
        {
            foreach (var parameter in Parameters)
            {
                if (parameter.Kind == HandlerParameterKind.Payload)
                {
                    return parameter;
                }
            }

            return null;
        }
    }
}

/// <summary>
/// The one rule for reading a <c>[DingEvent]</c> handler (DESIGN.md decision 2), shared as linked source by the
/// generator and the analyzers so they cannot disagree. The payload is the single parameter whose type is a
/// catalogue record, <c>JsonElement</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, a <c>DingCustomEvent</c> type, or a
/// parameter marked <c>[DingPayload]</c>; <c>DingEventContext</c> and <c>CancellationToken</c> are passed; every
/// other parameter is a DI service (<c>GetService</c> when nullable, <c>[FromKeyedServices]</c> honoured).
/// </summary>
internal static class HandlerShapeRules
{
    /// <summary>Reads <paramref name="method"/>. <paramref name="isCustomPayloadType"/> tells whether a type was declared with <c>DingCustomEvent</c>.</summary>
    public static HandlerShape Read(IMethodSymbol method, Func<ITypeSymbol, bool> isCustomPayloadType, CancellationToken cancellationToken)
    {
        var problems = ImmutableArray.CreateBuilder<HandlerProblem>();

        if (method.IsGenericMethod)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.GenericMethod, "it is a generic method"));
        }

        var returnKind = ReadReturnKind(method.ReturnType);
        if (returnKind == HandlerReturnKind.Unsupported)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.UnsupportedReturnType, $"its return type '{method.ReturnType.ToDisplayString()}' is not void, Task or ValueTask"));
        }

        var parameters = ImmutableArray.CreateBuilder<HandlerParameterShape>(method.Parameters.Length);
        HandlerParameterShape? firstPayload = null;
        foreach (var parameter in method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadPassingProblems(parameter, problems);
            var shape = ReadParameter(parameter, isCustomPayloadType);
            if (shape.Kind == HandlerParameterKind.Payload)
            {
                if (firstPayload is null)
                {
                    firstPayload = shape;
                }
                else
                {
                    problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.TwoPayloads, $"parameters '{firstPayload.Symbol.Name}' and '{parameter.Name}' are both payloads"));
                }
            }

            parameters.Add(shape);
        }

        ReadReachability(method, problems);
        ReadObsoleteErrors(method, problems);

        var isAsyncVoid = method.IsAsync && method.ReturnsVoid;
        return new HandlerShape(method, returnKind, isAsyncVoid, parameters.MoveToImmutable(), problems.ToImmutable());
    }

    /// <summary>
    /// The catalogue-record test, the one both the generator and the analyzers apply: a class in namespace
    /// <c>DingGen.Events</c> of the assembly that declares the catalogue <c>DingGen.DingEventTypes</c> (DingGen.dll; a
    /// stand-in catalogue in tests qualifies the same way). Such a parameter is the handler's payload.
    /// </summary>
    public static bool IsCatalogueRecord(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class } named
        && TypeLookup.IsNamespace(named.ContainingNamespace, KnownNames.EventsNamespace)
        && named.ContainingAssembly is { } assembly
        && TypeLookup.GetTypeInAssembly(assembly, KnownNames.DingEventTypes) is not null;

    /// <summary>The metadata-style full name (<c>Namespace.Outer+Inner</c>) of <paramref name="type"/>, for comparisons.</summary>
    public static string MetadataName(ITypeSymbol type)
    {
        if (type.ContainingType is { } outer)
        {
            return MetadataName(outer) + "+" + type.MetadataName;
        }

        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? type.MetadataName : ns.ToDisplayString() + "." + type.MetadataName;
    }

    /// <summary>DING003: a parameter the generated code cannot pass (by reference, a pointer, a ref struct). Shared by every kind of handler.</summary>
    internal static void ReadPassingProblems(IParameterSymbol parameter, ImmutableArray<HandlerProblem>.Builder problems)
    {
        if (parameter.RefKind != RefKind.None)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.ByRefParameter, $"parameter '{parameter.Name}' is passed by reference ({RefKindText(parameter.RefKind)})"));
        }

        if (parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.PointerParameter, $"parameter '{parameter.Name}' is a pointer"));
        }
        else if (parameter.Type.IsRefLikeType)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.RefStructParameter, $"parameter '{parameter.Name}' is a ref struct"));
        }
    }

    private static HandlerParameterShape ReadParameter(IParameterSymbol parameter, Func<ITypeSymbol, bool> isCustomPayloadType)
    {
        var type = parameter.Type;
        var marked = HasAttribute(parameter, KnownNames.DingPayloadAttribute);

        if (TypeLookup.IsType(type, KnownNames.JsonElement))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Payload, PayloadKind.JsonElement, false, null);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic
            && TypeLookup.IsType(generic.OriginalDefinition, KnownNames.ReadOnlyMemory)
            && generic.TypeArguments[0].SpecialType == SpecialType.System_Byte)
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Payload, PayloadKind.Utf8Memory, false, null);
        }

        if (marked || IsCatalogueRecord(type) || isCustomPayloadType(type))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Payload, PayloadKind.Typed, false, null);
        }

        if (TypeLookup.IsType(type, KnownNames.DingEventContext))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.Context, PayloadKind.None, false, null);
        }

        if (TypeLookup.IsType(type, KnownNames.CancellationToken))
        {
            return new HandlerParameterShape(parameter, HandlerParameterKind.CancellationToken, PayloadKind.None, false, null);
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

    /// <summary>DING004: whether generated code in the same assembly can reach the method (and create its class). Shared by every kind of handler.</summary>
    internal static void ReadReachability(IMethodSymbol method, ImmutableArray<HandlerProblem>.Builder problems)
    {
        if (!IsReachable(method.DeclaredAccessibility))
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.MethodNotAccessible, $"the method is {AccessibilityText(method.DeclaredAccessibility)}"));
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!IsReachable(type.DeclaredAccessibility))
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.TypeNotAccessible, $"type '{type.Name}' is {AccessibilityText(type.DeclaredAccessibility)}"));
            }

            if (type.IsFileLocal)
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.FileLocalType, $"type '{type.Name}' is file-local"));
            }

            if (type.IsGenericType)
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.OpenGenericType, $"type '{type.Name}' is an open generic type"));
            }
        }

        var containing = method.ContainingType;
        if (containing is null)
        {
            return;
        }

        // CS8926: such a member can only be called through a type parameter, never as IHandler.Method().
        if (method.IsStatic && (method.IsAbstract || method.IsVirtual) && containing.TypeKind == TypeKind.Interface)
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.StaticInterfaceMember, "it is a static abstract or virtual interface member"));
        }

        if (!method.IsStatic)
        {
            if (containing.IsAbstract || containing.TypeKind == TypeKind.Interface)
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.AbstractType, $"instance handlers need a concrete class, and '{containing.Name}' is abstract"));
            }
            else if (containing.TypeKind != TypeKind.Class)
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.NotReachable, HandlerProblemCode.NotAClass, $"instance handlers need a class, and '{containing.Name}' is a {containing.TypeKind.ToString().ToLowerInvariant()}"));
            }
        }
    }

    private static HandlerReturnKind ReadReturnKind(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return HandlerReturnKind.Void;
        }

        return TypeLookup.IsType(returnType, KnownNames.Task) ? HandlerReturnKind.Task
            : TypeLookup.IsType(returnType, KnownNames.ValueTask) ? HandlerReturnKind.ValueTask
            : HandlerReturnKind.Unsupported;
    }

    /// <summary>
    /// CS0619: generated code cannot name a method or type marked <c>[Obsolete(message, error: true)]</c> without failing the
    /// build (plain <c>[Obsolete]</c> is fine: generated code disables that warning).
    /// </summary>
    internal static void ReadObsoleteErrors(IMethodSymbol method, ImmutableArray<HandlerProblem>.Builder problems)
    {
        if (IsObsoleteError(method))
        {
            problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.ObsoleteAsError, "the method is marked [Obsolete] as an error"));
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (IsObsoleteError(type))
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.ObsoleteAsError, $"type '{type.Name}' is marked [Obsolete] as an error"));
            }
        }

        foreach (var parameter in method.Parameters)
        {
            if (IsObsoleteError(parameter.Type))
            {
                problems.Add(new HandlerProblem(HandlerProblemKind.CannotCall, HandlerProblemCode.ObsoleteAsError, $"the type of parameter '{parameter.Name}' is marked [Obsolete] as an error"));
            }
        }
    }

    private static bool IsObsoleteError(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls
                && TypeLookup.IsType(cls, KnownNames.ObsoleteAttribute)
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[1].Value is true)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls && TypeLookup.IsType(cls, metadataName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReachable(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref readonly",
    };
}
