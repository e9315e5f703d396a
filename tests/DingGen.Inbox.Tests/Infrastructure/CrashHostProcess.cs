using System.Diagnostics;

namespace DingGen.Inbox.Tests.Infrastructure;

/// <summary>The InboxCrashHost process: <c>dotnet InboxCrashHost.dll</c> on a free loopback port.</summary>
internal sealed class CrashHostProcess
{
    private readonly Process _process;

    private CrashHostProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

    public static async Task<CrashHostProcess> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        // DINGGEN_INBOX_CRASH_HOST runs the same test against a NativeAOT build of the host
        // (dotnet publish tests/InboxCrashHost -c Release -p:PublishAot=true -o DIR; then DIR/InboxCrashHost).
        var native = Environment.GetEnvironmentVariable("DINGGEN_INBOX_CRASH_HOST");
        var dll = string.IsNullOrEmpty(native) ? HostDll() : native;
        var start = new ProcessStartInfo(string.IsNullOrEmpty(native) ? "dotnet" : native)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        if (string.IsNullOrEmpty(native))
        {
            start.ArgumentList.Add(dll);
        }

        start.ArgumentList.Add($"--DingGen:Token={TestKeys.Token}");
        start.ArgumentList.Add($"--DingGen:AesKey={TestKeys.AesKey}");
        start.ArgumentList.Add($"--DingGen:AppKey={TestKeys.AppKey}");
        start.ArgumentList.Add("--DingGen:Inbox:MaxConcurrency=8");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash host");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the crash host did not start listening within 30 s");
            }

            if (line is null)
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"the crash host exited with {process.ExitCode} before listening: {await stderr.WaitAsync(TimeSpan.FromSeconds(5))}");
            }

            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new CrashHostProcess(process, line["LISTENING ".Length..].TrimEnd('/'));
            }
        }
    }

    /// <summary>SIGKILL on Unix: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private static string HostDll()
    {
        // tests/DingGen.Inbox.Tests/bin/<Configuration>/net10.0/ → tests/InboxCrashHost/bin/<Configuration>/net10.0/
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = own.Name;
        var configuration = own.Parent!.Name;
        var tests = own.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "InboxCrashHost", "bin", configuration, framework, "InboxCrashHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build tests/InboxCrashHost first (the test project references it)", dll);
    }
}
