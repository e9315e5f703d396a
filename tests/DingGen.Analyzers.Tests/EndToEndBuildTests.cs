using System.Diagnostics;

namespace DingGen.Analyzers.Tests;

/// <summary>
/// A real <c>dotnet build</c> of tests/EndToEnd/MisspeltEventType (kept out of the solution) fails with DING001 and the
/// suggestion in its output: the analyzer works in a user's build, not only under the test framework.
/// </summary>
public sealed class EndToEndBuildTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact(Timeout = 300_000)]
    public async Task A_misspelt_event_type_fails_dotnet_build_with_DING001_and_the_suggestion()
    {
        var project = Path.Combine(RepositoryRoot(), "tests", "EndToEnd", "MisspeltEventType", "MisspeltEventType.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", project, "-p:DingGenConfiguration=" + Configuration, "-nologo", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout + await stderr;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("error DING001", output, StringComparison.Ordinal);
        Assert.Contains("'bpms_instanse_change' is not a known DingTalk event type; did you mean 'bpms_instance_change'?", output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DingGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DingGen.sln not found above " + AppContext.BaseDirectory);
    }
}
