using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Tests.Incremental;

/// <summary>
/// The run reasons of the generator's tracked steps in one run, flattened per step name in output order
/// (after Mediator's <c>IncrementalGeneratorRunReason</c> and Mapperly's <c>IncrementalGeneratorRunReasons</c>).
/// </summary>
/// <param name="ParsedHandlers">One reason per <c>[DingEvent]</c> method parse: <c>Unchanged</c> when it re-ran to an equal model.</param>
/// <param name="Handlers">One reason per callable handler model, after the null filter (an <c>Unchanged</c> parse shows as <c>Cached</c>).</param>
/// <param name="Facts">The compilation facts.</param>
/// <param name="CustomEvents">The <c>DingCustomEvent</c> list.</param>
/// <param name="Dispatch">The dispatch model.</param>
internal sealed record IncrementalRunReasons(
    IReadOnlyList<IncrementalStepRunReason> ParsedHandlers,
    IReadOnlyList<IncrementalStepRunReason> Handlers,
    IncrementalStepRunReason Facts,
    IncrementalStepRunReason CustomEvents,
    IncrementalStepRunReason Dispatch)
{
    public static IncrementalRunReasons Of(GeneratorRunResult result) => new(
        Outputs(result, TrackingNames.ParsedHandlers).Select(static output => output.Reason).ToArray(),
        Outputs(result, TrackingNames.Handlers).Select(static output => output.Reason).ToArray(),
        Outputs(result, TrackingNames.Facts).Single().Reason,
        Outputs(result, TrackingNames.CustomEvents).Single().Reason,
        Outputs(result, TrackingNames.Dispatch).Single().Reason);

    /// <summary>The outputs of every step tracked under <paramref name="stepName"/>, in order.</summary>
    public static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps.TryGetValue(stepName, out var steps)
            ? steps.SelectMany(static step => step.Outputs).ToArray()
            : Array.Empty<(object, IncrementalStepRunReason)>();

    /// <summary>Compares with <paramref name="expected"/> field by field (records compare lists by reference).</summary>
    public void ShouldBe(IncrementalRunReasons expected)
    {
        Assert.True(
            ParsedHandlers.SequenceEqual(expected.ParsedHandlers) && Handlers.SequenceEqual(expected.Handlers) && Facts == expected.Facts && CustomEvents == expected.CustomEvents && Dispatch == expected.Dispatch,
            $"Expected {Describe(expected)}\nActual   {Describe(this)}");
    }

    private static string Describe(IncrementalRunReasons reasons) =>
        $"ParsedHandlers=[{string.Join(", ", reasons.ParsedHandlers)}] Handlers=[{string.Join(", ", reasons.Handlers)}] Facts={reasons.Facts} CustomEvents={reasons.CustomEvents} Dispatch={reasons.Dispatch}";
}
