using DingGen.Common;
using DingGen.Generator.Emitting;
using DingGen.Generator.Model;
using DingGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.Generator;

/// <summary>
/// Turns every <c>[DingEvent]</c>, <c>[DingRobotMessage]</c> and <c>[DingCardCallback]</c> method into one compile-time dispatcher, the list of handled tags and the DI
/// registration. It never reports diagnostics (the analyzers do) and never throws: a method it cannot call is skipped.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DingEventGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var handlers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.DingEventAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => HandlerParser.TryParse(ctx, ct))
            .WithTrackingName(TrackingNames.ParsedHandlers)
            .Where(static handler => handler is not null)
            .Select(static (handler, _) => handler!)
            .WithTrackingName(TrackingNames.Handlers);

        var facts = context.CompilationProvider
            .Select(static (compilation, ct) => CompilationFacts.From(compilation, ct))
            .WithTrackingName(TrackingNames.Facts);

        // [assembly: DingCustomEvent] is found like the handlers, so an edit only re-reads the files that declare one.
        var customEvents = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.DingCustomEventAttribute,
                static (node, _) => node is CompilationUnitSyntax,
                static (ctx, ct) => CompilationFacts.ReadCustomEvents(ctx, ct))
            .WithTrackingName(TrackingNames.CustomEventFiles)
            .Collect()
            .Select(static (files, ct) => CompilationFacts.CombineCustomEvents(files, ct))
            .WithTrackingName(TrackingNames.CustomEvents);

        var dispatch = handlers
            .Collect()
            .Combine(customEvents)
            .Select(static (input, ct) => DispatchModel.Create(input.Left.ToEquatableArray(), input.Right, ct))
            .WithTrackingName(TrackingNames.Dispatch);

        var robots = Interactions(context, KnownNames.DingRobotMessageAttribute, InteractionKind.RobotMessage, TrackingNames.ParsedRobotHandlers);
        var cards = Interactions(context, KnownNames.DingCardCallbackAttribute, InteractionKind.CardCallback, TrackingNames.ParsedCardHandlers);
        var interactions = robots
            .Combine(cards)
            .Select(static (input, ct) => InteractionsModel.Create(input.Left.ToEquatableArray(), input.Right.ToEquatableArray(), ct))
            .WithTrackingName(TrackingNames.Interactions);

        context.RegisterSourceOutput(
            dispatch.Combine(interactions).Combine(facts),
            static (spc, input) => Emit(spc, input.Left.Left, input.Left.Right, input.Right));
    }

    /// <summary>The callable handlers of one interaction kind, collected.</summary>
    private static IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<InteractionHandlerModel>> Interactions(
        IncrementalGeneratorInitializationContext context,
        string attribute,
        InteractionKind kind,
        string trackingName) =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is MethodDeclarationSyntax,
                (ctx, ct) => InteractionParser.TryParse(ctx, kind, ct))
            .WithTrackingName(trackingName)
            .Where(static handler => handler is not null)
            .Select(static (handler, _) => handler!)
            .Collect();

    private static void Emit(SourceProductionContext context, DispatchModel model, InteractionsModel interactions, CompilationFactsModel facts)
    {
        if (!facts.HasRuntime)
        {
            return;
        }

        context.AddSource(EventTagsEmitter.HintName, EventTagsEmitter.Emit(model, facts));
        context.AddSource(DispatchEmitter.HintName, DispatchEmitter.Emit(model, interactions, facts));
        context.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(model, interactions, facts));
    }
}
