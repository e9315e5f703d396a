using System.Text;
using System.Text.Json;
using DingGen.Cli;
using DingGen.Cli.Commands;
using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

public sealed class InboxCliTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly FakeTimeProvider _time = new(T0.AddDays(10));
    private long _done;
    private long _dead;
    private long _failed;

    public InboxCliTests()
    {
        _db = _dir.File("inbox.db");
    }

    public void Dispose() => _dir.Dispose();

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private async Task<Result> RunAsync(Dictionary<string, string>? environment = null, params string[] args)
    {
        using var stdin = new MemoryStream();
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var env = environment ?? new Dictionary<string, string>();
        var io = new CliIO(stdin, stdout, stderr, _time, name => env.GetValueOrDefault(name), CancellationToken.None);
        var code = await CliApp.RunAsync(args, io).WaitAsync(TimeSpan.FromSeconds(30));
        return new Result(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Three entries sealed with the test keys: one done, one dead, one failed once and pending.</summary>
    private async Task SeedAsync()
    {
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        using var inbox = new SqliteDingInbox(_db);
        foreach (var id in new[] { "evt-done", "evt-dead", "evt-failed" })
        {
            var payload = Encoding.UTF8.GetBytes(TestKeys.Event("user_add_org", id));
            await inbox.AddAsync(new DingInboxEntry
            {
                AppName = "",
                EventType = "user_add_org",
                DedupKey = "user_add_org:" + id,
                EventId = id,
                CorpId = "dingcorp0001",
                ReceivedAt = T0,
                Envelope = crypto.Seal(payload, _time),
            });
        }

        foreach (var record in await inbox.ClaimAsync(10, T0, TimeSpan.FromMinutes(5)))
        {
            switch (record.Entry.EventId)
            {
                case "evt-done":
                    _done = record.Id;
                    await inbox.CompleteAsync(record.Id, T0.AddSeconds(1));
                    break;
                case "evt-dead":
                    _dead = record.Id;
                    await inbox.FailAsync(record.Id, "Hr.OnAdd: System.InvalidOperationException: no such department", null, T0.AddSeconds(1));
                    break;
                default:
                    _failed = record.Id;
                    await inbox.FailAsync(record.Id, "Hr.OnAdd: System.TimeoutException: slow", T0.AddSeconds(30), T0.AddSeconds(1));
                    break;
            }
        }
    }

    [Fact]
    public async Task List_prints_a_table_of_every_entry_with_its_state_and_never_a_payload()
    {
        await SeedAsync();
        var result = await RunAsync(null, "inbox", "list", "--db", _db);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(_dead + " ", StringComparison.Ordinal) && l.Contains("dead") && l.Contains("evt-dead") && l.Contains("Hr.OnAdd: System.InvalidOperationException"));
        Assert.Contains(lines, l => l.StartsWith(_failed + " ", StringComparison.Ordinal) && l.Contains("failed"));
        Assert.Contains(lines, l => l.StartsWith(_done + " ", StringComparison.Ordinal) && l.Contains("done"));
        Assert.DoesNotContain(TestKeys.PlaintextMarker, result.Stdout);
    }

    [Theory]
    [InlineData("dead", "evt-dead")]
    [InlineData("failed", "evt-failed")]
    [InlineData("done", "evt-done")]
    [InlineData("pending", "evt-failed")]
    public async Task List_json_filters_by_state(string state, string eventId)
    {
        await SeedAsync();
        var result = await RunAsync(null, "inbox", "list", "--db", _db, "--state", state, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var entry = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(eventId, entry.GetProperty("eventId").GetString());
        Assert.Equal("user_add_org:" + eventId, entry.GetProperty("dedupKey").GetString());
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Show_without_keys_prints_the_entry_sealed()
    {
        await SeedAsync();
        var result = await RunAsync(null, "inbox", "show", _dead.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", _db);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:           dead", result.Stdout);
        Assert.Contains("last error:      Hr.OnAdd: System.InvalidOperationException: no such department", result.Stdout);
        Assert.Contains("(sealed;", result.Stdout);
        Assert.DoesNotContain(TestKeys.PlaintextMarker, result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Show_with_keys_from_the_environment_warns_about_personal_data_then_prints_the_payload()
    {
        await SeedAsync();
        var env = new Dictionary<string, string> { ["DINGGEN_TOKEN"] = TestKeys.Token, ["DINGGEN_AES_KEY"] = TestKeys.AesKey, ["DINGGEN_APP_KEY"] = TestKeys.AppKey };
        var result = await RunAsync(env, "inbox", "show", _done.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", _db);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(InboxShowCommand.PersonalDataWarning + "\n", result.Stderr);
        Assert.EndsWith("payload:\n" + TestKeys.Event("user_add_org", "evt-done") + "\n", result.Stdout);
        Assert.Contains(TestKeys.PlaintextMarker, result.Stdout);
    }

    [Fact]
    public async Task Show_json_with_key_options_embeds_the_payload_and_wrong_keys_are_a_crypto_error()
    {
        await SeedAsync();
        var id = _done.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await RunAsync(null, "inbox", "show", id, "--db", _db, "--token", TestKeys.Token, "--aes-key", TestKeys.AesKey, "--app-key", TestKeys.AppKey, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("evt-done", json.RootElement.GetProperty("payload").GetProperty("eventId").GetString());
        Assert.Equal("done", json.RootElement.GetProperty("entry").GetProperty("state").GetString());

        var wrong = await RunAsync(null, "inbox", "show", id, "--db", _db, "--token", TestKeys.OtherToken, "--aes-key", TestKeys.AesKey, "--app-key", TestKeys.AppKey);
        Assert.Equal(2, wrong.ExitCode);
        Assert.StartsWith("error 900006", wrong.Stderr);
        Assert.Equal(string.Empty, wrong.Stdout);

        var partial = await RunAsync(null, "inbox", "show", id, "--db", _db, "--token", TestKeys.Token);
        Assert.Equal(2, partial.ExitCode);
        Assert.Contains("needs all three", partial.Stderr);
    }

    [Fact]
    public async Task Retry_re_queues_one_entry_or_every_dead_one()
    {
        await SeedAsync();
        var one = await RunAsync(null, "inbox", "retry", _dead.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", _db);
        Assert.Equal(0, one.ExitCode);
        Assert.Equal($"re-queued entry {_dead}\n", one.Stdout);

        using (var inbox = new SqliteDingInbox(_db))
        {
            var record = (await inbox.GetAsync(_dead))!;
            Assert.Equal(DingInboxState.Pending, record.State);
            Assert.Equal(0, record.Attempts);
            Assert.Equal(_time.GetUtcNow(), record.NextAttemptAt);
            var claimed = await inbox.ClaimAsync(10, _time.GetUtcNow(), TimeSpan.FromMinutes(1));
            foreach (var r in claimed)
            {
                await inbox.FailAsync(r.Id, "e", null, _time.GetUtcNow());
            }
        }

        var all = await RunAsync(null, "inbox", "retry", "--all-dead", "--db", _db);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal("re-queued 2 dead entries\n", all.Stdout);

        var done = await RunAsync(null, "inbox", "retry", _done.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", _db);
        Assert.Equal(2, done.ExitCode);
        Assert.Contains("does not exist or is done", done.Stderr);

        var neither = await RunAsync(null, "inbox", "retry", "--db", _db);
        Assert.Equal(2, neither.ExitCode);
        Assert.StartsWith("error usage: inbox retry: give either", neither.Stderr);
    }

    [Fact]
    public async Task Purge_deletes_old_done_entries_and_dead_ones()
    {
        await SeedAsync();
        var young = await RunAsync(null, "inbox", "purge", "--db", _db, "--done-older-than", "30d");
        Assert.Equal(0, young.ExitCode);
        Assert.StartsWith("deleted 0 done entries", young.Stdout);

        var result = await RunAsync(null, "inbox", "purge", "--db", _db, "--done-older-than", "7d", "--dead");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("deleted 1 done entries completed before 2024-06-02T02:00:00.000Z\ndeleted 1 dead entries\n", result.Stdout);

        using var inbox = new SqliteDingInbox(_db);
        Assert.Equal(_failed, Assert.Single(await inbox.ListAsync(null, 10)).Id);

        var bad = await RunAsync(null, "inbox", "purge", "--db", _db, "--done-older-than", "7 days");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error usage:", bad.Stderr);
    }

    [Fact]
    public async Task A_missing_database_is_an_error_and_is_not_created()
    {
        var missing = _dir.File("nope.db");
        var result = await RunAsync(null, "inbox", "list", "--db", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error inbox: no inbox database at {missing}\n", result.Stderr);
        Assert.False(File.Exists(missing));
    }
}
