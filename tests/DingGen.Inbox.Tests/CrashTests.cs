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

        var host = await CrashHostProcess.StartAsync([$"--DingGen:Inbox:Path={inboxPath}", $"--HandledPath={handledPath}"], stop.Token);
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

            host = await CrashHostProcess.StartAsync([$"--DingGen:Inbox:Path={inboxPath}", $"--HandledPath={handledPath}"], stop.Token);
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
}
