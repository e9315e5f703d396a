namespace DingGen.Analyzers;

/// <summary>The categories of DingGen's diagnostics.</summary>
internal static class DiagnosticCategories
{
    /// <summary>How <c>[DingEvent]</c> and handlers are used: event types, signatures, reachability.</summary>
    public const string Usage = "DingGen.Usage";

    /// <summary>How the project is put together: JSON contexts, DI.</summary>
    public const string Design = "DingGen.Design";
}
