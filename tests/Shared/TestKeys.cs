namespace DingGen.Tests.Shared;

/// <summary>Keys the tests use. The default app uses the keys of vectors s-pos-003/-036 (an AppKey-owned console subscription).</summary>
public static class TestKeys
{
    public const string Token = "Tk7vQ2mR9x";
    public const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    public const string AppKey = "dingzq4bkl7mxn0ofa2c";

    public const string OtherToken = "hrToken8842";
    public const string OtherAesKey = "Je44PPxqcALK3nDdL1EqtnfrioO2Mvz8dAOsjOsgquB";
    public const string OtherAppKey = "dinghr0000000000app";

    public const string Path = "/dingtalk/callback";

    /// <summary>A marker inside every test payload: must never appear in a log.</summary>
    public const string PlaintextMarker = "PLAINTEXT-MARKER-7f3a";

    public static Dictionary<string, string?> DefaultSettings(string section = "DingGen") => new()
    {
        [$"{section}:Token"] = Token,
        [$"{section}:AesKey"] = AesKey,
        [$"{section}:AppKey"] = AppKey,
    };

    public static string Event(string eventType, string? eventId = null, string? corpId = "dingcorp0001") =>
        $$"""{"EventType":"{{eventType}}","eventId":"{{eventId ?? Guid.NewGuid().ToString("N")}}","CorpId":"{{corpId}}","processInstanceId":"pi-1","Secretary":"{{PlaintextMarker}}"}""";
}
