using DingGen.Common;
using DingGen.Generator.Emitting;
using DingGen.Generator.Model;
using DingGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DingGen.Generator;

/// <summary>
/// Turns every <c>[DingEvent]</c> method into one compile-time dispatcher, the list of handled tags and the DI
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

        context.RegisterSourceOutput(dispatch.Combine(facts), static (spc, input) => Emit(spc, input.Left, input.Right));
    }

    private static void Emit(SourceProductionContext context, DispatchModel model, CompilationFactsModel facts)
    {
        if (!facts.HasRuntime)
        {
            return;
        }

        context.AddSource(EventTagsEmitter.HintName, EventTagsEmitter.Emit(model, facts));
        context.AddSource(DispatchEmitter.HintName, DispatchEmitter.Emit(model, facts));
        context.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(model, facts));
    }
}
