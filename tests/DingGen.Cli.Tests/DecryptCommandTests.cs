using System.Text;

namespace DingGen.Cli.Tests;

public sealed class DecryptCommandTests
{
    [Theory]
    [MemberData(nameof(CryptoVectors.PositiveIds), MemberType = typeof(CryptoVectors))]
    public void Positive_vector_prints_the_exact_plaintext_bytes_and_one_newline(string id)
    {
        var v = CryptoVectors.PositiveById(id);

        var result = CliHarness.Run(CliVectors.DecryptArgs(v));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([.. Encoding.UTF8.GetBytes(v.Text("plaintext")), (byte)'\n'], result.Stdout);
        Assert.Equal(v.GetProperty("plaintextUtf8Bytes").GetInt32() + 1, result.Stdout.Length);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [MemberData(nameof(CryptoVectors.NegativeIds), MemberType = typeof(CryptoVectors))]
    public void Negative_vector_exits_2_with_one_error_line_naming_an_acceptable_code(string id)
    {
        var v = CryptoVectors.NegativeById(id);
        var acceptable = v.GetProperty("acceptableErrorCodes").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var result = CliHarness.Run(CliVectors.DecryptArgs(v));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.EndsWith("\n", result.Stderr, StringComparison.Ordinal);
        Assert.Matches("^error 9000[0-9]{2}: .+$", line);
        Assert.Contains(int.Parse(line.AsSpan(6, 6), System.Globalization.CultureInfo.InvariantCulture), acceptable);
        Assert.DoesNotContain(v.Text("token"), line, StringComparison.Ordinal);
        Assert.DoesNotContain(v.Text("aesKey"), line, StringComparison.Ordinal);
        Assert.DoesNotContain(v.Text("ownerKey"), line, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_signature_never_echoes_the_plaintext_or_secrets()
    {
        var v = CryptoVectors.Positive.First(p => p.Text("plaintext").Length > 20);
        var args = CliVectors.DecryptArgs(v);
        args[^3] = new string('0', 40); // --signature value

        var result = CliHarness.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal("error 900006: the signature does not match the token, timestamp, nonce and encrypt values\n", result.Stderr);
    }

    [Fact]
    public void Option_values_may_be_given_as_name_equals_value_in_any_order()
    {
        var v = CryptoVectors.PositiveById("s-pos-003");
        string[] args =
        [
            "decrypt",
            $"--encrypt={v.Text("encrypt")}",
            $"--signature={v.Text("signature")}",
            "--nonce", v.Text("nonce"),
            "--timestamp", v.Text("timestamp"),
            $"--app-key={v.Text("ownerKey")}",
            "--aes-key", v.Text("aesKey"),
            "--token", v.Text("token"),
        ];

        var result = CliHarness.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(v.Text("plaintext") + "\n", result.StdoutText);
    }

    [Fact]
    public void Wrong_aes_key_length_is_900004()
    {
        var v = CryptoVectors.PositiveById("s-pos-003");
        var args = CliVectors.DecryptArgs(v);
        args[4] = v.Text("aesKey")[..42];

        var result = CliHarness.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("error 900004: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("AesKey", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(args[4], result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--token")]
    [InlineData("--app-key")]
    public void Empty_token_or_app_key_is_a_usage_error(string option)
    {
        var args = CliVectors.DecryptArgs(CryptoVectors.PositiveById("s-pos-003"));
        args[Array.IndexOf(args, option) + 1] = string.Empty;

        var result = CliHarness.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal($"error usage: option {option} must not be empty\n", result.Stderr);
    }
}
