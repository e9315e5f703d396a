namespace DingGen.Analyzers;

/// <summary>Help links of DingGen's diagnostics: one page per rule under <c>docs/diagnostics/</c>.</summary>
internal static class HelpLinks
{
    /// <summary>Where the <c>docs/diagnostics</c> folder of the repository is published.</summary>
    public const string BaseUrl = "https://github.com/dinggen/dinggen/blob/main/docs/diagnostics/";

    /// <summary>The help page of rule <paramref name="id"/>, e.g. <c>…/docs/diagnostics/DING001.md</c>.</summary>
    public static string For(string id) => BaseUrl + id + ".md";
}
