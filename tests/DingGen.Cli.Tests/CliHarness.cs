using System.Text;

namespace DingGen.Cli.Tests;

/// <summary>What one in-process run of the tool produced.</summary>
public sealed record CliResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    /// <summary>The lines of standard error, without the final empty one.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <c>dinggen</c> in-process against in-memory streams and a fixed clock.</summary>
public static class CliHarness
{
    /// <summary>2024-05-30T02:00:00.123Z, i.e. Unix milliseconds 1717034400123.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400123);

    public static CliResult Run(params string[] args) => RunWithInput([], args);

    public static CliResult RunWithInput(byte[] stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin, writable: false);
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };

        var exitCode = CliApp.Run(args, input, output, error, new FixedTimeProvider(Now));

        return new CliResult(exitCode, output.ToArray(), error.ToString());
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
