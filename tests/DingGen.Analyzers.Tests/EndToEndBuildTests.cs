using System.Diagnostics;

namespace DingGen.Analyzers.Tests;

/// <summary>
/// Real <c>dotnet build</c>s of projects under tests/EndToEnd (kept out of the solution) fail with the expected diagnostic
/// in their output: the analyzers work in a user's build, not only under the test framework.
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
        var (exitCode, output) = await BuildAsync("MisspeltEventType");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error DING001", output, StringComparison.Ordinal);
        Assert.Contains("'bpms_instanse_change' is not a known DingTalk event type; did you mean 'bpms_instance_change'?", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// tests/EndToEnd/RobotHandlers: valid robot and card handlers beside one robot handler taking a card callback. The
    /// build fails with DING009 only: the generated robot and card dispatch of the others compiles with no warning under
    /// TreatWarningsAsErrors, in a real build with the SDK's compiler.
    /// </summary>
    [Fact(Timeout = 300_000)]
    public async Task A_robot_handler_taking_a_card_callback_fails_dotnet_build_with_DING009_only()
    {
        var (exitCode, output) = await BuildAsync("RobotHandlers");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error DING009", output, StringComparison.Ordinal);
        Assert.Contains("parameter 'callback' is a DingCardCallback, which a robot message handler never receives; take a DingRobotMessage", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error CS", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"warning (CS|DING)\d", output);
        Assert.DoesNotMatch(@"error DING0(?!09)", output);
    }

    private static async Task<(int ExitCode, string Output)> BuildAsync(string name)
    {
        var project = Path.Combine(RepositoryRoot(), "tests", "EndToEnd", name, name + ".csproj");
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

        return (process.ExitCode, await stdout + await stderr);
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
