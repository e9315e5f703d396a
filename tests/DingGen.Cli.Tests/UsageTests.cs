namespace DingGen.Cli.Tests;

public sealed class UsageTests
{
    private static readonly string[] FullDecrypt =
    [
        "decrypt", "--token", "T", "--aes-key", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "--app-key", "A",
        "--timestamp", "1", "--nonce", "N", "--signature", "S", "--encrypt", "E",
    ];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--help", "decrypt")]
    public void Top_level_help_prints_usage_to_stdout_and_exits_0(params string[] args)
    {
        var result = CliHarness.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith("dinggen: ", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("dinggen decrypt --token T", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("dinggen encrypt --token T", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("dinggen keygen", result.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decrypt", "--help")]
    [InlineData("decrypt", "-h")]
    [InlineData("encrypt", "--help")]
    [InlineData("encrypt", "-h")]
    [InlineData("keygen", "--help")]
    [InlineData("keygen", "-h")]
    [InlineData("decrypt", "--token", "T", "--help")]
    [InlineData("decrypt", "--bogus", "--help")]
    [InlineData("encrypt", "-h", "--token", "a", "--token", "b")]
    public void Command_help_prints_that_commands_usage_and_wins_over_errors(params string[] args)
    {
        var result = CliHarness.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith($"Usage: dinggen {args[0]}", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("-h, --help", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        AssertUsageError(CliHarness.Run(), "no command given");
    }

    [Theory]
    [InlineData("frobnicate", "unknown command 'frobnicate'")]
    [InlineData("Decrypt", "unknown command 'Decrypt'")]
    [InlineData("help", "unknown command 'help'")]
    [InlineData("--token", "unknown option '--token'")]
    [InlineData("-x", "unknown option '-x'")]
    public void Unknown_command_is_a_usage_error(string command, string expected)
    {
        AssertUsageError(CliHarness.Run(command), expected);
    }

    [Theory]
    [InlineData("--tokn")]
    [InlineData("--Token")]
    [InlineData("-t")]
    [InlineData("--plaintext")]
    public void Unknown_option_is_a_usage_error(string option)
    {
        AssertUsageError(CliHarness.Run([.. FullDecrypt, option, "x"]), $"decrypt: unknown option '{option}'");
    }

    [Theory]
    [InlineData("--token")]
    [InlineData("--encrypt")]
    public void Duplicated_option_is_a_usage_error(string option)
    {
        AssertUsageError(CliHarness.Run([.. FullDecrypt, option, "again"]), $"decrypt: option {option} is given more than once");
    }

    [Fact]
    public void Duplicated_option_in_equals_form_is_a_usage_error()
    {
        AssertUsageError(
            CliHarness.Run("encrypt", "--token", "T", "--aes-key", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "--app-key", "A", "--nonce=a", "--nonce=b"),
            "encrypt: option --nonce is given more than once");
    }

    [Theory]
    [InlineData("--token")]
    [InlineData("--aes-key")]
    [InlineData("--app-key")]
    [InlineData("--timestamp")]
    [InlineData("--nonce")]
    [InlineData("--signature")]
    [InlineData("--encrypt")]
    public void Missing_required_decrypt_option_is_a_usage_error(string option)
    {
        var args = FullDecrypt.ToList();
        var index = args.IndexOf(option);
        args.RemoveRange(index, 2);

        AssertUsageError(CliHarness.Run([.. args]), $"decrypt: missing required option {option}");
    }

    [Fact]
    public void All_missing_options_are_named_on_one_line()
    {
        AssertUsageError(CliHarness.Run("encrypt"), "encrypt: missing required options --token, --aes-key, --app-key");
    }

    [Fact]
    public void Option_without_a_value_is_a_usage_error()
    {
        AssertUsageError(CliHarness.Run([.. FullDecrypt[..^1]]), "decrypt: option --encrypt needs a value");
    }

    [Fact]
    public void Positional_argument_is_a_usage_error_that_does_not_echo_it()
    {
        var result = CliHarness.Run([.. FullDecrypt, "s3cr3t-value"]);

        AssertUsageError(result, "decrypt: unexpected argument at position 16");
        Assert.DoesNotContain("s3cr3t", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_with_a_value_attached_echoes_only_its_name()
    {
        var result = CliHarness.Run([.. FullDecrypt, "--secret=hunter2"]);

        AssertUsageError(result, "decrypt: unknown option '--secret'");
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_that_does_not_look_like_a_name_is_named_by_position()
    {
        var result = CliHarness.Run([.. FullDecrypt, "-hDAEYqL62pBum9BIy2ew/A5s02KGvdiP4TLqi58G5tLS"]);

        AssertUsageError(result, "decrypt: unknown option at position 16");
        Assert.DoesNotContain("hDAEYqL62pBum9BIy2ew/", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_that_looks_like_an_option_is_taken_as_the_value()
    {
        var result = CliHarness.Run("encrypt", "--token", "T", "--aes-key", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "--app-key", "A", "--plaintext", "--help-me");

        Assert.Equal(0, result.ExitCode);
    }

    private static void AssertUsageError(CliResult result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.Equal(result.Stderr, line + "\n");
        Assert.StartsWith("error usage: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", result.Stderr, StringComparison.Ordinal);
    }
}
