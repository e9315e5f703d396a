using System.Globalization;
using DingGen.Common;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Generator.Parsing;

/// <summary>Turns a <c>[DingEvent]</c> method into a <see cref="HandlerModel"/>, or null when the generated code cannot call it.</summary>
internal static class HandlerParser
{
    public static HandlerModel? TryParse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
        {
            return null;
        }

        var tags = ReadTags(context, cancellationToken);
        if (tags.Length == 0)
        {
            return null;
        }

        // Custom payload types are applied later, with the compilation's DingCustomEvent list (DispatchModel.Create).
        var shape = HandlerShapeRules.Read(method, static _ => false, cancellationToken);
        if (!shape.IsCallable)
        {
            return null;
        }

        if (InteractionHandlerRules.HasMixedKinds(method) || HasErrorTypes(method))
        {
            return null;
        }

        var parameters = ReadParameters(shape, out var signature);
        var containing = TypeNames.Of(method.ContainingType);
        var containingFqn = containing.Fqn;
        return new HandlerModel(
            new EquatableArray<string>(tags),
            containingFqn,
            containing.DisplayName + "." + method.Name,
            Identifier(method.Name),
            containingFqn + "." + method.Name + "(" + signature + ")",
            method.IsStatic,
            shape.ReturnKind,
            new EquatableArray<ParameterModel>(parameters));
    }

    /// <summary>
    /// Whether a parameter type contains a type the compiler cannot bind yet: that is the compiler's error to report, and
    /// calling the handler with it would only repeat that error in generated code.
    /// </summary>
    internal static bool HasErrorTypes(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (ContainsErrorType(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The parameters of a callable handler as models, and its signature (the parameter types, comma-separated).</summary>
    internal static ParameterModel[] ReadParameters(HandlerShape shape, out string signature)
    {
        var parameters = new ParameterModel[shape.Parameters.Length];
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = shape.Parameters[i];
            var names = TypeNames.Of(parameter.Symbol.Type);
            var typeFqn = names.Fqn;
            parameters[i] = new ParameterModel(
                parameter.Kind,
                parameter.PayloadKind,
                typeFqn,
                names.MetadataName,
                parameter.IsNullableService,
                parameter.ServiceKey is { } key ? FormatKey(key) : null,
                Identifier(parameter.Symbol.Name));
            builder.Append(i == 0 ? string.Empty : ",").Append(typeFqn);
        }

        signature = builder.ToString();
        return parameters;
    }

    /// <summary>
    /// The routed tags of the method by the shared rule (<see cref="EventTagRules"/>), in ordinal order. Handshake events
    /// are those the catalogue the compilation sees marks (<see cref="HandshakeEvents.Of"/>, read once per compilation).
    /// </summary>
    private static string[] ReadTags(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var handshakes = HandshakeEvents.Of(context.SemanticModel.Compilation);
        var tags = EventTagRules.RoutedTags(EventTagRules.Read(context.Attributes, handshakes, cancellationToken)).ToArray();
        Array.Sort(tags, StringComparer.Ordinal);
        return tags;
    }

    /// <summary>A name as C# code writes it: <c>@event</c> for a keyword.</summary>
    internal static string Identifier(string name) => Naming.IsKeyword(name) ? "@" + name : name;

    private static bool ContainsErrorType(ITypeSymbol type)
    {
        switch (type)
        {
            case { TypeKind: TypeKind.Error }:
                return true;
            case IArrayTypeSymbol array:
                return ContainsErrorType(array.ElementType);
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    if (ContainsErrorType(argument))
                    {
                        return true;
                    }
                }

                return named.ContainingType is { } outer && ContainsErrorType(outer);
            default:
                return false;
        }
    }

    /// <summary>A C# expression for a <c>[FromKeyedServices]</c> key.</summary>
    private static string FormatKey(TypedConstant key)
    {
        if (key.IsNull)
        {
            return "null";
        }

        if (key.Kind == TypedConstantKind.Enum && key.Type is { } enumType)
        {
            return "(" + enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + Convert.ToString(key.Value, CultureInfo.InvariantCulture) + ")";
        }

        return key.Value switch
        {
            string text => SymbolDisplay.FormatLiteral(text, quote: true),
            char character => SymbolDisplay.FormatLiteral(character, quote: true),
            bool flag => flag ? "true" : "false",
            int or short or byte or sbyte or ushort => Convert.ToString(key.Value, CultureInfo.InvariantCulture)!,
            long number => number.ToString(CultureInfo.InvariantCulture) + "L",
            uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
            ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
            double number => FormatDouble(number),
            float number => FormatSingle(number),
            ITypeSymbol type => "typeof(" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")",
            _ => "default",
        };
    }

    /// <summary>A <c>double</c> literal; NaN and the infinities have no literal form and are written as constants.</summary>
    private static string FormatDouble(double number) =>
        double.IsNaN(number) ? "global::System.Double.NaN"
        : double.IsPositiveInfinity(number) ? "global::System.Double.PositiveInfinity"
        : double.IsNegativeInfinity(number) ? "global::System.Double.NegativeInfinity"
        : number.ToString("R", CultureInfo.InvariantCulture) + "D";

    /// <summary>A <c>float</c> literal; NaN and the infinities have no literal form and are written as constants.</summary>
    private static string FormatSingle(float number) =>
        float.IsNaN(number) ? "global::System.Single.NaN"
        : float.IsPositiveInfinity(number) ? "global::System.Single.PositiveInfinity"
        : float.IsNegativeInfinity(number) ? "global::System.Single.NegativeInfinity"
        : number.ToString("R", CultureInfo.InvariantCulture) + "F";
}
