using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DingGen.Cli.Tests;

public sealed class EncryptCommandTests
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string AppKey = "dingzq4bkl7mxn0ofa2c";

    [Theory]
    [MemberData(nameof(CryptoVectors.PositiveIds), MemberType = typeof(CryptoVectors))]
    public void Vector_plaintext_encrypts_to_a_reply_the_vectors_algorithm_accepts(string id)
    {
        var v = CryptoVectors.PositiveById(id);

        var result = CliHarness.Run(
            "encrypt", "--token", v.Text("token"), "--aes-key", v.Text("aesKey"), "--app-key", v.Text("ownerKey"),
            "--timestamp", v.Text("timestamp"), "--nonce", v.Text("nonce"), "--plaintext", v.Text("plaintext"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var reply = ParseReply(result);
        Assert.Equal(v.Text("timestamp"), reply.Timestamp);
        Assert.Equal(v.Text("nonce"), reply.Nonce);
        Assert.Equal(CliVectors.ReferenceSignature(v.Text("token"), v.Text("timestamp"), v.Text("nonce"), reply.Encrypt), reply.Signature);
        var (message, ownerKey) = CliVectors.ReferenceDecrypt(v.Text("aesKey"), reply.Encrypt);
        Assert.Equal(Encoding.UTF8.GetBytes(v.Text("plaintext")), message);
        Assert.Equal(v.Text("ownerKey"), ownerKey);
    }

    [Fact]
    public void Reply_JSON_has_exactly_the_four_string_members_and_the_library_decrypts_it()
    {
        var result = CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey,
            "--timestamp", "1717034400123", "--nonce", "bR4kWm9Z", "--plaintext", "success");

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("}\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Single(result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(result.Stdout);
        var members = json.RootElement.EnumerateObject().ToArray();
        Assert.Equal(["msg_signature", "timeStamp", "nonce", "encrypt"], members.Select(m => m.Name));
        Assert.All(members, m => Assert.Equal(JsonValueKind.String, m.Value.ValueKind));

        var reply = ParseReply(result);
        var crypto = new DingCallbackCrypto(Token, AesKey, AppKey);
        Assert.Equal("success"u8.ToArray(), crypto.Decrypt(reply.Signature, reply.Timestamp, reply.Nonce, reply.Encrypt));
    }

    [Fact]
    public void Base64_is_written_without_JSON_escapes()
    {
        // Find a reply whose Base64 has a '+', which the default JSON encoder would write as \u002B.
        for (var i = 0; i < 200; i++)
        {
            var result = CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey, "--plaintext", $"message {i}");
            var reply = ParseReply(result);
            if (reply.Encrypt.Contains('+', StringComparison.Ordinal))
            {
                Assert.Contains($"\"encrypt\":\"{reply.Encrypt}\"", result.StdoutText, StringComparison.Ordinal);
                Assert.DoesNotContain("\\u", result.StdoutText, StringComparison.Ordinal);
                return;
            }
        }

        Assert.Fail("no ciphertext with '+' in 200 tries");
    }

    [Fact]
    public void Plaintext_is_read_from_stdin_as_raw_bytes_when_the_option_is_omitted()
    {
        byte[] message = [0x00, 0xFF, 0xFE, (byte)'\n', (byte)'\r', 0xC3, 0x28, .. "{\"EventType\":\"check_url\"}"u8];

        var result = CliHarness.RunWithInput(message, "encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey);

        Assert.Equal(0, result.ExitCode);
        var reply = ParseReply(result);
        Assert.Equal(message, CliVectors.ReferenceDecrypt(AesKey, reply.Encrypt).Message);

        var decrypted = CliHarness.Run("decrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey,
            "--timestamp", reply.Timestamp, "--nonce", reply.Nonce, "--signature", reply.Signature, "--encrypt", reply.Encrypt);
        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal([.. message, (byte)'\n'], decrypted.Stdout);
    }

    [Fact]
    public void Empty_stdin_encrypts_an_empty_message()
    {
        var result = CliHarness.RunWithInput([], "encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(CliVectors.ReferenceDecrypt(AesKey, ParseReply(result).Encrypt).Message);
    }

    [Fact]
    public void Timestamp_defaults_to_the_current_Unix_milliseconds_and_nonce_to_8_random_alphanumerics()
    {
        var first = ParseReply(CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey, "--plaintext", "success"));
        var second = ParseReply(CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey, "--plaintext", "success"));

        Assert.Equal(CliHarness.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), first.Timestamp);
        Assert.Equal("1717034400123", first.Timestamp);
        Assert.Matches("^[A-Za-z0-9]{8}$", first.Nonce);
        Assert.Matches("^[A-Za-z0-9]{8}$", second.Nonce);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Encrypt, second.Encrypt);
        Assert.Equal(CliVectors.ReferenceSignature(Token, first.Timestamp, first.Nonce, first.Encrypt), first.Signature);
    }

    [Theory]
    [InlineData("--timestamp", 900002)]
    [InlineData("--nonce", 900003)]
    public void Empty_timestamp_or_nonce_is_the_crypto_error_for_it(string option, int code)
    {
        var result = CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey, "--plaintext", "x", $"{option}=");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith($"error {code}: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_aes_key_is_900004_and_nothing_is_written()
    {
        var result = CliHarness.Run("encrypt", "--token", Token, "--aes-key", AesKey[..40] + "!!!", "--app-key", AppKey, "--plaintext", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("error 900004: ", result.Stderr, StringComparison.Ordinal);
    }

    private static DingSealedMessage ParseReply(CliResult result)
    {
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        return new DingSealedMessage(
            root.GetProperty("msg_signature").GetString()!,
            root.GetProperty("timeStamp").GetString()!,
            root.GetProperty("nonce").GetString()!,
            root.GetProperty("encrypt").GetString()!);
    }
}
