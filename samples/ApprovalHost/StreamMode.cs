using DingGen;

namespace ApprovalHost;

/// <summary>
/// Stream mode by configuration: <c>DingGen:Stream:Enabled=true</c> (or <c>DingGen__Stream__Enabled=true</c>) makes
/// <c>AddDingGen</c> open DingTalk's Stream channel with <c>DingGen:AppKey</c> / <c>DingGen:AppSecret</c>; no public URL is needed. The HTTP
/// callback stays mapped when <c>Token</c> and <c>AesKey</c> are configured (both channels then run side by side) and
/// whenever stream mode is off (start-up validation then asks for them).
/// </summary>
internal static class StreamMode
{
    public static bool IsEnabled(IConfiguration configuration) =>
        bool.TryParse(configuration["DingGen:Stream:Enabled"], out var enabled) && enabled;

    /// <summary>Whether to map the HTTP callback endpoint: always, unless stream mode is on and no callback keys are configured.</summary>
    public static bool ShouldMapCallback(IConfiguration configuration) =>
        !IsEnabled(configuration)
        || (!string.IsNullOrEmpty(configuration["DingGen:Token"]) && !string.IsNullOrEmpty(configuration["DingGen:AesKey"]));
}
