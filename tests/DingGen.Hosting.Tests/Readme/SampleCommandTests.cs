using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DingGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DingGen.Hosting.Tests.Readme;

/// <summary>
/// The approval sample's management commands (<c>register</c>, <c>status</c>, <c>unregister</c>, <c>recover-failed</c>) run as real
/// processes: every failure is one <c>error …</c> line and exit code 2, never a stack trace (exit 134).
/// </summary>
public sealed class SampleCommandTests : IAsyncLifetime
{
    private const string Token = "Y4dA02j6Z08xQRSMIx0ZjXmBzdaTQDLa";
    private const string AesKey = "FnJVTxNiSSHDxgbT9F21kALwDbrstkm2irRMaoSnuUR";
    private const string AppKey = "dingsampledevapp0001";
    private const string AppSecret = "sample-command-test-secret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"dinggen-sample-commands-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public static TheoryData<string[]> Commands => new() { new[] { "status" }, new[] { "unregister" }, new[] { "recover-failed" }, new[] { "register", "https://example.com/dingtalk/callback" } };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Commands))]
    public async Task HTTP_500_is_one_network_line(string[] command)
    {
        await using var broken = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });

        var result = await RunAsync(Settings(broken.BaseAddress), command);

        AssertOneErrorLine(result, "error network: ");
        Assert.Contains("HTTP 500", result.Stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Commands))]
    public async Task A_refused_connection_is_one_network_line(string[] command)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await RunAsync(Settings($"http://127.0.0.1:{port}/"), command);

        AssertOneErrorLine(result, "error network: ");
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Commands))]
    public async Task A_missing_AppSecret_is_one_settings_line(string[] command)
    {
        var settings = Settings("http://127.0.0.1:9/");
        settings.Remove("DingGen__AppSecret");

        var result = await RunAsync(settings, command);

        AssertOneErrorLine(result, "error settings: ");
        Assert.Contains("AppSecret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_server_that_never_answers_is_one_timeout_line_at_the_deadline()
    {
        await using var silent = await LoopbackServer.StartAsync(async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var settings = Settings(silent.BaseAddress);
        settings["DingGen__OpenApi__CallTimeout"] = "00:00:00.5";

        var result = await RunAsync(settings, "status");

        AssertOneErrorLine(result, "error timeout: ");
    }

    [Fact(Timeout = 120_000)]
    public async Task Recovery_prints_one_line_per_entry_without_HttpClient_logs_and_keeps_its_record_out_of_the_working_folder()
    {
        await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = AppKey, AppSecret = AppSecret });
        dingtalk.EnqueueFailedEvent("user_add_org", DateTimeOffset.FromUnixTimeMilliseconds(1717034512000), """{"corpid":"dingcorp0001","userid":["u-1"]}""");
        var settings = Settings(dingtalk.BaseAddress.ToString());
        settings["XDG_DATA_HOME"] = Path.Combine(_directory, "data");

        var result = await RunAsync(settings, "recover-failed");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("System.Net.Http", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("user_add_org", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 3, result.Stdout);
        Assert.Empty(Directory.GetFiles(_directory, "*.jsonl"));
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "data"), "*.jsonl", SearchOption.AllDirectories));
    }

    private static void AssertOneErrorLine(ProcessResult result, string prefix)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Stderr);
        Assert.StartsWith(prefix, lines[0], StringComparison.Ordinal);
        Assert.Contains(" — ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Settings(string baseAddress) => new()
    {
        ["DingGen__Token"] = Token,
        ["DingGen__AesKey"] = AesKey,
        ["DingGen__AppKey"] = AppKey,
        ["DingGen__AppSecret"] = AppSecret,
        ["DingGen__OpenApi__BaseAddress"] = baseAddress,
        ["DingGen__OpenApi__RetryBaseDelay"] = "00:00:00",
        ["DingGen__Recovery__StorePath"] = Path.Combine(_directory, "data", "recovered.jsonl"),
    };

    private async Task<ProcessResult> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ApprovalHost.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Production settings only: no appsettings from the test's folder, no development keys.
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var key in start.Environment.Keys.Where(static k => k.StartsWith("DingGen__", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
}
