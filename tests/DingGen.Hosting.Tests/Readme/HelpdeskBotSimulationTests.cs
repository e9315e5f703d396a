using System.Diagnostics;

namespace DingGen.Hosting.Tests.Readme;

/// <summary>
/// The helpdesk robot sample's <c>--simulate</c> (samples/HelpdeskBot) as a real process in JIT: the conversation over stream mode and
/// over signed HTTP posts, every reply and card update checked by the sample itself; scripts/aot-smoke.sh runs the same against the
/// NativeAOT binary.
/// </summary>
public sealed class HelpdeskBotSimulationTests
{
    [Fact(Timeout = 180_000)]
    public async Task The_simulated_conversation_passes_over_stream_mode_and_HTTP()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HelpdeskBot.dll"));
        start.ArgumentList.Add("--simulate");
        foreach (var key in start.Environment.Keys.Where(static k => k.StartsWith("DingGen__", StringComparison.Ordinal) || k.StartsWith("Helpdesk__", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
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
        Assert.True(process.ExitCode == 0, output);
        var steps = output.Split('\n').Where(static line => line.StartsWith('[')).ToArray();
        Assert.Contains(steps, static line => line.Contains(" stream ", StringComparison.Ordinal) && line.Contains("card: remind approver", StringComparison.Ordinal));
        Assert.Contains(steps, static line => line.Contains(" http ", StringComparison.Ordinal) && line.Contains("forged signature", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, static line => line.Contains("FAIL", StringComparison.Ordinal));
        Assert.Contains("include robot messages and card callbacks", output, StringComparison.Ordinal);
    }
}
