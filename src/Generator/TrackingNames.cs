namespace DingGen.Generator;

/// <summary>Names of the pipeline steps, for the incrementality tests (every one is asserted to be tracked).</summary>
internal static class TrackingNames
{
    /// <summary>The parse of each <c>[DingEvent]</c> method (null when the generated code cannot call it): the first cache cutoff.</summary>
    public const string ParsedHandlers = nameof(ParsedHandlers);

    /// <summary>The callable handlers (the parses that are not null).</summary>
    public const string Handlers = nameof(Handlers);

    /// <summary>The compilation facts: assembly name, whether the runtime is referenced, the generator's version.</summary>
    public const string Facts = nameof(Facts);

    /// <summary>The <c>[assembly: DingCustomEvent]</c> declarations of each file that has any.</summary>
    public const string CustomEventFiles = nameof(CustomEventFiles);

    /// <summary>Every <c>DingCustomEvent</c> declaration of the compilation, distinct and sorted.</summary>
    public const string CustomEvents = nameof(CustomEvents);

    /// <summary>The dispatch model: handlers grouped by tag, payloads and member names.</summary>
    public const string Dispatch = nameof(Dispatch);

    /// <summary>The parse of each <c>[DingRobotMessage]</c> method (null when the generated code cannot call it).</summary>
    public const string ParsedRobotHandlers = nameof(ParsedRobotHandlers);

    /// <summary>The parse of each <c>[DingCardCallback]</c> method (null when the generated code cannot call it).</summary>
    public const string ParsedCardHandlers = nameof(ParsedCardHandlers);

    /// <summary>The robot and card handlers, in dispatch order, and their classes.</summary>
    public const string Interactions = nameof(Interactions);
}
