namespace DingGen.OpenApi.Tests.Infrastructure;

/// <summary>The app, enterprise and callback keys the tests use.</summary>
public static class OpenApiKeys
{
    public const string AppKey = "dingopenapitestkey01";
    public const string AppSecret = "Secret-4f9c-DO-NOT-LOG";
    public const string CorpId = "dingcorp7d1e0000test";
    public const string Token = "TokenSync77x";
    public const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    public const string OtherToken = "TokenOther9q";
    public const string OtherAesKey = "Je44PPxqcALK3nDdL1EqtnfrioO2Mvz8dAOsjOsgquB";
    public const string CallbackPath = "/dingtalk/callback";
}
