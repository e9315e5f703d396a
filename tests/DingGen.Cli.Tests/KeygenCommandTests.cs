namespace DingGen.Cli.Tests;

public sealed class KeygenCommandTests
{
    [Fact]
    public void Prints_a_32_character_token_and_a_43_character_aes_key()
    {
        var result = CliHarness.Run("keygen");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Matches("^Token=[A-Za-z0-9]{32}\nAesKey=[A-Za-z0-9]{43}\n$", result.StdoutText);
    }

    [Fact]
    public void Keys_work_with_the_crypto_and_two_runs_differ()
    {
        var first = Parse(CliHarness.Run("keygen"));
        var second = Parse(CliHarness.Run("keygen"));

        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.AesKey, second.AesKey);
        Assert.True(DingCallbackCrypto.IsValidAesKey(first.AesKey));

        var crypto = new DingCallbackCrypto(first.Token, first.AesKey, "dingowner");
        var reply = crypto.CreateSuccessReply("1717034400123", "nonce123");
        Assert.Equal("success"u8.ToArray(), crypto.Decrypt(reply.Signature, reply.Timestamp, reply.Nonce, reply.Encrypt));
    }

    [Theory]
    [InlineData("--token", "x")]
    [InlineData("extra")]
    public void Rejects_any_argument(params string[] extra)
    {
        var result = CliHarness.Run(["keygen", .. extra]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("error usage: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    private static (string Token, string AesKey) Parse(CliResult result)
    {
        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0]["Token=".Length..], lines[1]["AesKey=".Length..]);
    }
}
