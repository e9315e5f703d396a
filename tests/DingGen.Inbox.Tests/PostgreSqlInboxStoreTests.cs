using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;

namespace DingGen.Inbox.Tests;

/// <summary>The shared inbox contract, against PostgreSQL (a second handle is a second data source: another replica). One schema per test.</summary>
public sealed class PostgreSqlInboxContractTests : InboxContractTests
{
    private readonly string _schema = PostgresServer.NewSchema();

    protected override ValueTask<Store> OpenAsync()
    {
        var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        return ValueTask.FromResult(new Store(inbox, inbox, inbox));
    }

    protected override async ValueTask DeleteStorageAsync() => await PostgresServer.DropSchemaAsync(_schema);
}

/// <summary>What only the PostgreSQL store does: schema creation and migration, its identifier rule, no restart recovery.</summary>
public sealed class PostgreSqlInboxStoreTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PostgresServer.DropSchemaAsync(_schema);

    [Fact(Timeout = 120_000)]
    public async Task Ten_replicas_starting_at_once_create_the_schema_once_and_all_work()
    {
        var inboxes = Enumerable.Range(0, 10).Select(_ => PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema)).ToArray();
        try
        {
            using var start = new Barrier(10);
            var before = await Task.WhenAll(inboxes.Select(inbox => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await inbox.SchemaHandle.MigrateAsync(CancellationToken.None);
            })));

            // Exactly one replica found no schema (version 0) and created it; the other nine found it current.
            Assert.Equal(1, before.Count(static v => v == 0));
            Assert.Equal(9, before.Count(static v => v == PostgreSqlSchema.CurrentVersion));
            Assert.Equal(PostgreSqlSchema.CurrentVersion, await PostgresServer.ScalarAsync($"SELECT version FROM \"{_schema}\".schema_version"));
            Assert.Equal(1, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".schema_version"));

            var results = await Task.WhenAll(inboxes.Select(static (inbox, i) => inbox.AddAsync(InboxContractTests.Entry("same")).AsTask()));
            Assert.Equal(1, results.Count(static r => r == DingInboxAddResult.Added));
        }
        finally
        {
            foreach (var inbox in inboxes)
            {
                await inbox.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Lazy_first_use_from_ten_replicas_at_once_also_succeeds()
    {
        var inboxes = Enumerable.Range(0, 10).Select(_ => PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema)).ToArray();
        try
        {
            var results = await Task.WhenAll(inboxes.Select(static (inbox, i) => Task.Run(async () => await inbox.AddAsync(InboxContractTests.Entry("e" + i)))));
            Assert.All(results, static r => Assert.Equal(DingInboxAddResult.Added, r));
        }
        finally
        {
            foreach (var inbox in inboxes)
            {
                await inbox.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_schema_migrated_by_a_newer_version_is_refused_with_a_clear_message()
    {
        await using (var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema))
        {
            await inbox.InitializeAsync();
        }

        await PostgresServer.ScalarAsync($"UPDATE \"{_schema}\".schema_version SET version = 99 RETURNING version");
        await using var older = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await older.InitializeAsync());
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade every replica", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("DingGen")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("x\"; DROP TABLE y; --")]
    public void A_schema_that_is_not_a_lowercase_identifier_is_refused(string schema)
    {
        Assert.False(PostgreSqlInboxOptions.IsValidSchema(schema));
        Assert.Throws<ArgumentException>(() => PostgreSqlDingInbox.Open("Host=127.0.0.1", schema));
    }

    [Fact]
    public void The_shared_store_never_releases_every_lease_at_start_up()
    {
        Assert.False(typeof(IDingInboxRestartRecovery).IsAssignableFrom(typeof(PostgreSqlDingInbox)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Only_the_sealed_envelope_is_stored()
    {
        await using var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        await inbox.AddAsync(InboxContractTests.Entry("sealed"));
        var columns = await PostgresServer.ScalarAsync($"""
            SELECT COUNT(*) FROM information_schema.columns
            WHERE table_schema = '{_schema}' AND table_name = 'inbox' AND column_name NOT IN
              ('id','app','dedup_key','event_id','event_type','channel','corp_id','received_at','signature','timestamp','nonce','encrypt','state','attempts','next_attempt_at','leased_until','completed_at','last_error')
            """);
        Assert.Equal(0, columns);
    }
}
