namespace DingGen.Cli.Tests;

/// <summary>What the System.CommandLine-based parser adds: help for every command and group, --option=value everywhere.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Commands => new()
    {
        "decrypt", "encrypt", "keygen", "simulate", "callback register", "callback update", "callback get", "callback delete",
        "callback failed", "inbox list", "inbox show", "inbox retry", "inbox purge",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_has_help(string command)
    {
        var result = CliHarness.Run([.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith($"Usage: dinggen {command}", result.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("callback", "dinggen callback register")]
    [InlineData("inbox", "dinggen inbox list")]
    public void Every_group_has_help_listing_its_commands(string group, string listed)
    {
        var result = CliHarness.Run(group, "-h");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Usage: dinggen {group} <", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains(listed, result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_take_the_equals_form_on_network_commands_too()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await AsyncCliHarness.RunAsync(null, "callback", "get", "--app-key=k", "--app-secret=s", $"--base-url=http://127.0.0.1:{port}/", "--timeout=5");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error network: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }
}
