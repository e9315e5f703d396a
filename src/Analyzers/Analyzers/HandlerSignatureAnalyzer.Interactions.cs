using System.Collections.Immutable;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DingGen.Analyzers;

/// <summary>The robot and card half of <see cref="HandlerSignatureAnalyzer"/>: <see cref="InteractionHandlerRules"/>, as the generator applies it.</summary>
public sealed partial class HandlerSignatureAnalyzer
{
    private static void StartInteractions(CompilationStartAnalysisContext context)
    {
        var robot = context.Compilation.GetBestTypeByMetadataName(KnownNames.DingRobotMessageAttribute);
        var card = context.Compilation.GetBestTypeByMetadataName(KnownNames.DingCardCallbackAttribute);
        if (robot is null && card is null)
        {
            return;
        }

        context.RegisterSymbolAction(AnalyzeInteraction, SymbolKind.Method);
    }

    private static void AnalyzeInteraction(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        var kinds = InteractionHandlerRules.KindsOf(method);
        InteractionKind kind;
        if (kinds == HandlerAttributeKinds.RobotMessage)
        {
            kind = InteractionKind.RobotMessage;
        }
        else if (kinds == HandlerAttributeKinds.CardCallback)
        {
            kind = InteractionKind.CardCallback;
        }
        else
        {
            // Not a robot or card handler, or more than one kind of handler (DING011 says so once).
            return;
        }

        var location = method.Locations.Length > 0 ? method.Locations[0] : Location.None;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandlerNotCallable, location, method.Name, "it is not an ordinary method"));
            return;
        }

        var info = InteractionHandlerRules.Of(kind);
        var shape = InteractionHandlerRules.Read(method, kind, context.CancellationToken);
        ReportProblems(context, shape, location);
        if (shape.IsAsyncVoid)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidHandler, location, method.Name));
        }

        foreach (var problem in shape.Problems)
        {
            if (problem.Kind == HandlerProblemKind.WrongParameter && problem.Parameter is { } parameter)
            {
                var properties = problem.ExpectedType is { } expected
                    ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.ExpectedType, expected)
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InteractionParameterMismatch,
                    HandlerEvents.GetParameterTypeLocation(parameter, context.CancellationToken),
                    properties,
                    method.Name,
                    problem.Reason));
            }
            else if (problem.Kind == HandlerProblemKind.WrongReturnType)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InteractionReturnType,
                    ReturnTypeLocation(method, context.CancellationToken) ?? location,
                    ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.ResponseType, info.Response),
                    method.Name,
                    method.ReturnType.ToDisplayString(TypeFormat),
                    info.HandlerText,
                    InteractionKindInfo.SimpleName(info.Response)));
            }
        }
    }

    private static Location? ReturnTypeLocation(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return null;
    }
}
