using System.Text;
using System.Text.Json;
using DingGen.Cli;
using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary><c>dinggen inbox list|show|retry|purge</c> against the PostgreSQL inbox (<c>--postgres</c> or <c>DINGGEN_POSTGRES</c>).</summary>
public sealed class PostgreSqlInboxCliTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly string _schema = PostgresServer.NewSchema();
    private readonly FakeTimeProvider _time = new(T0.AddDays(10));
    private long _dead;

    public async Task InitializeAsync()
    {
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        await using var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        foreach (var id in new[] { "evt-done", "evt-dead" })
        {
            await inbox.AddAsync(new DingInboxEntry
            {
                AppName = "",
                EventType = "user_add_org",
                DedupKey = "user_add_org:" + id,
                EventId = id,
                ReceivedAt = T0,
                Envelope = crypto.Seal(Encoding.UTF8.GetBytes(TestKeys.Event("user_add_org", id)), _time),
            });
        }

        foreach (var record in await inbox.ClaimAsync(10, T0, TimeSpan.FromMinutes(5)))
        {
            if (record.Entry.EventId == "evt-done")
            {
                await inbox.CompleteAsync(record.Id, T0);
            }
            else
            {
                _dead = record.Id;
                await inbox.FailAsync(record.Id, "Hr.OnAdd: System.InvalidOperationException: no such department", null, T0);
            }
        }
    }

    public async Task DisposeAsync() => await PostgresServer.DropSchemaAsync(_schema);

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(Dictionary<string, string>? environment, params string[] args)
    {
        using var stdin = new MemoryStream();
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var env = environment ?? [];
        var io = new CliIO(stdin, stdout, stderr, _time, name => env.GetValueOrDefault(name), CancellationToken.None);
        var code = await CliApp.RunAsync(args, io).WaitAsync(TimeSpan.FromSeconds(30));
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task List_show_retry_and_purge_work_on_the_postgres_inbox()
    {
        var list = await RunAsync(null, "inbox", "list", "--postgres", PostgresServer.ConnectionString, "--schema", _schema, "--json");
        Assert.Equal(0, list.Code);
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal(["evt-dead", "evt-done"], json.RootElement.EnumerateArray().Select(static e => e.GetProperty("eventId").GetString()).Order());
        }

        // The connection string may also come from the environment.
        var env = new Dictionary<string, string> { ["DINGGEN_POSTGRES"] = PostgresServer.ConnectionString };
        var show = await RunAsync(env, "inbox", "show", _dead.ToString(System.Globalization.CultureInfo.InvariantCulture), "--schema", _schema,
            "--token", TestKeys.Token, "--aes-key", TestKeys.AesKey, "--app-key", TestKeys.AppKey);
        Assert.Equal(0, show.Code);
        Assert.Contains("evt-dead", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("no such department", show.Stdout, StringComparison.Ordinal);

        var retry = await RunAsync(env, "inbox", "retry", "--all-dead", "--schema", _schema);
        Assert.Equal(0, retry.Code);
        await using (var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema))
        {
            Assert.Equal(DingInboxState.Pending, (await inbox.GetAsync(_dead))!.State);
            var claimed = Assert.Single(await inbox.ClaimAsync(1, _time.GetUtcNow(), TimeSpan.FromMinutes(1)));
            await inbox.FailAsync(claimed.Id, "again", null, _time.GetUtcNow());
        }

        var purge = await RunAsync(env, "inbox", "purge", "--dead", "--schema", _schema);
        Assert.Equal(0, purge.Code);
        Assert.Equal(1, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_schema_without_an_inbox_is_reported_and_not_created()
    {
        var missing = PostgresServer.NewSchema();
        var result = await RunAsync(null, "inbox", "list", "--postgres", PostgresServer.ConnectionString, "--schema", missing);
        Assert.NotEqual(0, result.Code);
        Assert.Contains("no DingGen inbox in schema", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{missing}'"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_store_bad_options_and_unreachable_servers_get_one_clear_line()
    {
        var none = await RunAsync(null, "inbox", "list");
        Assert.NotEqual(0, none.Code);
        Assert.Contains("--postgres", none.Stderr, StringComparison.Ordinal);

        var both = await RunAsync(null, "inbox", "list", "--db", "x.db", "--postgres", "Host=127.0.0.1");
        Assert.Contains("not both", both.Stderr, StringComparison.Ordinal);

        var badSchema = await RunAsync(null, "inbox", "list", "--postgres", "Host=127.0.0.1", "--schema", "Bad-Name");
        Assert.Contains("lowercase identifier", badSchema.Stderr, StringComparison.Ordinal);

        var malformed = await RunAsync(null, "inbox", "list", "--postgres", "Host=127.0.0.1;Password=s3cret;NoSuchKey=1");
        Assert.NotEqual(0, malformed.Code);
        Assert.DoesNotContain("s3cret", malformed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", malformed.Stderr, StringComparison.Ordinal);

        // Port 1 on loopback: nothing listens there.
        var unreachable = await RunAsync(null, "inbox", "list", "--postgres", "Host=127.0.0.1;Port=1;Username=x;Password=s3cret;Timeout=3");
        Assert.NotEqual(0, unreachable.Code);
        Assert.Contains("could not be reached", unreachable.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", unreachable.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unreachable.Stderr, StringComparison.Ordinal);
    }
}
