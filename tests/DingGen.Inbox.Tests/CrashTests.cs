using System.Collections.Concurrent;
using System.Diagnostics;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DingGen.Inbox.Tests;

/// <summary>
/// Issue 8 section 4: a host process with the inbox receives 5,000 distinct callbacks from a concurrent sender, is killed with SIGKILL
/// mid-stream and restarted; the sender redelivers everything not acknowledged with <c>success</c>, as DingTalk does.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int EventCount = 5_000;
    private const int Senders = 32;
    private const int KillAfterAcknowledged = 1_500;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 110_000)]
    public async Task Every_event_acknowledged_before_or_after_a_SIGKILL_is_handled_and_the_inbox_has_no_duplicate_rows()
    {
        var total = Stopwatch.StartNew();
        var inboxPath = _dir.File("inbox.db");
        var handledPath = _dir.File("handled.db");
        var dingtalk = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, EventCount));
        var failedDeliveries = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(100));

        var host = await HostProcess.StartAsync(inboxPath, handledPath, stop.Token);
        var baseAddress = host.Address;
        var nativeHost = Environment.GetEnvironmentVariable("DINGGEN_INBOX_CRASH_HOST");
        output.WriteLine("host: " + (string.IsNullOrEmpty(nativeHost) ? "dotnet InboxCrashHost.dll" : nativeHost + " (NativeAOT)"));
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
            {
                Timeout = TimeSpan.FromSeconds(10),
            };

            async Task SendAsync()
            {
                while (!stop.IsCancellationRequested && queue.TryDequeue(out var index))
                {
                    var eventId = "crash-" + index.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
                    var success = false;
                    try
                    {
                        using var request = dingtalk.CreateRequest(Volatile.Read(ref baseAddress) + "/dingtalk/callback", TestKeys.Event("user_add_org", eventId));
                        var result = await dingtalk.SendAsync(client, request, stop.Token);
                        success = result.IsSuccessReply;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                    {
                    }

                    if (success)
                    {
                        acknowledged[eventId] = true;
                    }
                    else
                    {
                        // Not acknowledged: DingTalk delivers it again later.
                        Interlocked.Increment(ref failedDeliveries);
                        queue.Enqueue(index);
                        await Task.Delay(20, stop.Token);
                    }
                }
            }

            var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)).ToArray();

            await Eventually.TrueAsync(() => acknowledged.Count >= KillAfterAcknowledged, $"{KillAfterAcknowledged} acknowledged deliveries", 60_000);
            host.Kill();
            var acknowledgedAtKill = acknowledged.Count;
            output.WriteLine($"SIGKILL after {acknowledgedAtKill} acknowledged ({total.Elapsed.TotalSeconds:F1} s)");
            Assert.InRange(acknowledgedAtKill, KillAfterAcknowledged, EventCount - 1);

            host = await HostProcess.StartAsync(inboxPath, handledPath, stop.Token);
            Volatile.Write(ref baseAddress, host.Address);
            await Task.WhenAll(senders).WaitAsync(stop.Token);
            output.WriteLine($"all {acknowledged.Count} acknowledged after {total.Elapsed.TotalSeconds:F1} s; {failedDeliveries} deliveries failed and were redelivered");
            Assert.Equal(EventCount, acknowledged.Count);

            // The restarted worker drains the inbox: every acknowledged event is handled at least once.
            await Eventually.TrueAsync(() => Count(handledPath, "SELECT COUNT(*) FROM handled") == EventCount, "every event to be handled", 60_000);
        }
        finally
        {
            host.Kill();
        }

        var handled = ReadHandled(handledPath);
        foreach (var eventId in acknowledged.Keys)
        {
            Assert.True(handled.ContainsKey(eventId), $"{eventId} was acknowledged but never handled");
        }

        Assert.Equal(EventCount, Count(inboxPath, "SELECT COUNT(*) FROM dinggen_inbox"));
        Assert.Equal(EventCount, Count(inboxPath, "SELECT COUNT(DISTINCT app || '\n' || dedup_key) FROM dinggen_inbox"));
        output.WriteLine($"handled {handled.Count} distinct events, {handled.Values.Sum() - handled.Count} handler re-runs (at-least-once); {total.Elapsed.TotalSeconds:F1} s in all");
    }

    private static long Count(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static Dictionary<string, long> ReadHandled(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, runs FROM handled";
        using var reader = command.ExecuteReader();
        var handled = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            handled[reader.GetString(0)] = reader.GetInt64(1);
        }

        return handled;
    }

    /// <summary>The InboxCrashHost process: <c>dotnet InboxCrashHost.dll</c> on a free loopback port.</summary>
    private sealed class HostProcess
    {
        private readonly Process _process;

        private HostProcess(Process process, string address)
        {
            _process = process;
            Address = address;
        }

        public string Address { get; }

        public static async Task<HostProcess> StartAsync(string inboxPath, string handledPath, CancellationToken cancellationToken)
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
            start.ArgumentList.Add($"--DingGen:Inbox:Path={inboxPath}");
            start.ArgumentList.Add("--DingGen:Inbox:MaxConcurrency=8");
            start.ArgumentList.Add($"--HandledPath={handledPath}");
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
                    return new HostProcess(process, line["LISTENING ".Length..].TrimEnd('/'));
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
}
