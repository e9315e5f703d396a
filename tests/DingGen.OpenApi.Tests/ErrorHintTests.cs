namespace DingGen.OpenApi.Tests;

public sealed class ErrorHintTests
{
    [Theory]
    [InlineData(71006, "UpdateCallbackAsync")]
    [InlineData(71007, "register one first")]
    [InlineData(71008, "DingEventTypes")]
    [InlineData(71009, "OwnerKey is not the CorpId")]
    [InlineData(71010, "call_back_tag must be an array")]
    [InlineData(71011, "absolute http(s) URL")]
    [InlineData(71012, "publicly reachable")]
    [InlineData(71013, "public domain")]
    [InlineData(40001, "access token")]
    [InlineData(40014, "access token")]
    [InlineData(42001, "access token")]
    [InlineData(40096, "AppSecret")]
    [InlineData(88, "server-api-error-codes")]
    public void Each_registration_error_has_an_actionable_hint(int errorCode, string expected)
    {
        var ex = new DingTalkApiException(errorCode, "原文", "/call_back/register_call_back");

        Assert.Contains(expected, ex.Hint, StringComparison.Ordinal);
        Assert.StartsWith($"DingTalk API /call_back/register_call_back failed with errcode {errorCode}: 原文. ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(ex.Hint!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unreachable_hint_quotes_DingTalks_message()
    {
        var ex = new DingTalkApiException(71012, "url访问异常, 错误信息: java.net.ConnectException: Connection refused", "/call_back/update_call_back");

        Assert.Contains("java.net.ConnectException: Connection refused", ex.Hint, StringComparison.Ordinal);
    }
}
