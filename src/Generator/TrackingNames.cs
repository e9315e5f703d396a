namespace DingGen.Generator;

/// <summary>Names of the pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Handlers = nameof(Handlers);
    public const string Facts = nameof(Facts);
    public const string CustomEvents = nameof(CustomEvents);
    public const string Dispatch = nameof(Dispatch);
}
