namespace DingGen.Generator;

/// <summary>Names of the pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>The parse of each <c>[DingEvent]</c> method (null when the generated code cannot call it): the first cache cutoff.</summary>
    public const string ParsedHandlers = nameof(ParsedHandlers);

    /// <summary>The callable handlers.</summary>
    public const string Handlers = nameof(Handlers);
    public const string Facts = nameof(Facts);
    public const string CustomEvents = nameof(CustomEvents);
    public const string Dispatch = nameof(Dispatch);
}
