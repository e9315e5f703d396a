using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>Failed-event recovery on several replicas sharing one PostgreSQL schema: one run at a time, one shared record.</summary>
public sealed class PostgreSqlRecoveryTests : IAsyncLifetime
{
    private const string AppSecret = "pg-recovery-secret";
    private const string CorpId = "dingcorp0001";
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<ServiceProvider> _replicas = [];
    private readonly List<Npgsql.NpgsqlDataSource> _dataSources = [];
    private FakeDingTalkServer _dingtalk = null!;

    public async Task InitializeAsync() =>
        _dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = TestKeys.AppKey, AppSecret = AppSecret, CorpId = CorpId });

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        await _dingtalk.DisposeAsync();
        await PostgresServer.DropSchemaAsync(_schema);
    }

    /// <summary>One replica: its own service provider and data source on the shared schema, as another process would have.</summary>
    private ServiceProvider Replica(TestDispatcher dispatcher, bool inbox = true, TimeProvider? time = null)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:AppSecret"] = AppSecret;
        settings["DingGen:OpenApi:BaseAddress"] = _dingtalk.BaseAddress.ToString();
        settings["DingGen:Inbox:ConnectionString"] = PostgresServer.ConnectionString;
        settings["DingGen:Inbox:Schema"] = _schema;
        settings["DingGen:Recovery:StorePath"] = Path.Combine(Path.GetTempPath(), $"dinggen-never-used-{Guid.NewGuid():N}.jsonl");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IDingEventDispatcher>(dispatcher);
        var dinggen = services.AddDingGen(configuration.GetSection("DingGen"));
        if (inbox)
        {
            // Recovery first, the inbox second: the PostgreSQL store and lock still win.
            dinggen.AddFailedEventRecovery().UsePostgreSqlInbox();
        }
        else
        {
            // The inbox off (so the recovery dispatches itself and keeps unfinished entries), the record and lock still shared.
            dinggen.AddFailedEventRecovery();
            services.AddKeyedSingleton<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName, (_, _) =>
                new PostgreSqlRecoveryStore(Schema(), DingGenServiceCollectionExtensions.DefaultAppName, time));
            services.AddSingleton<IDingRecoveryLock>(_ => new PostgreSqlRecoveryLock(Schema()));
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _replicas.Add(provider);
        return provider;
    }

    private PostgreSqlSchema Schema()
    {
        var dataSource = PostgresServer.CreateDataSource();
        _dataSources.Add(dataSource);
        return new(dataSource, _schema);
    }

    private void Fail(string userId) =>
        _dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["{{userId}}"]}""");

    [Fact]
    public void UsePostgreSqlInbox_makes_the_recovery_use_the_shared_store_and_lock_whatever_the_order()
    {
        var provider = Replica(TestDispatcher.Default());
        Assert.IsType<PostgreSqlRecoveryStore>(provider.GetRequiredKeyedService<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName));
        Assert.IsType<PostgreSqlRecoveryLock>(provider.GetRequiredService<DingFailedEventRecovery>().Lock);

        // The other order, with a named app beside the default one.
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:AppSecret"] = AppSecret;
        settings["DingGen:Inbox:ConnectionString"] = PostgresServer.ConnectionString;
        settings["DingGen:Inbox:Schema"] = _schema;
        settings["Hr:Token"] = TestKeys.OtherToken;
        settings["Hr:AesKey"] = TestKeys.OtherAesKey;
        settings["Hr:AppKey"] = TestKeys.OtherAppKey;
        settings["Hr:AppSecret"] = AppSecret;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
        services.AddDingGen(configuration.GetSection("DingGen")).UsePostgreSqlInbox().AddFailedEventRecovery();
        services.AddDingGen("hr", configuration.GetSection("Hr")).UsePostgreSqlInbox().AddFailedEventRecovery();
        var both = services.BuildServiceProvider();
        _replicas.Add(both);
        Assert.IsType<PostgreSqlRecoveryStore>(both.GetRequiredKeyedService<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName));
        Assert.IsType<PostgreSqlRecoveryStore>(both.GetRequiredKeyedService<IDingRecoveryStore>("hr"));
        Assert.NotSame(both.GetRequiredKeyedService<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName), both.GetRequiredKeyedService<IDingRecoveryStore>("hr"));
        Assert.IsType<PostgreSqlRecoveryLock>(both.GetRequiredKeyedService<DingFailedEventRecovery>("hr").Lock);
    }

    [Fact(Timeout = 60_000)]
    public async Task While_one_replica_recovers_another_skips_and_recovers_once_the_lock_is_released()
    {
        var first = Replica(TestDispatcher.Default());
        var second = Replica(TestDispatcher.Default());
        Fail("u-1");

        // The first replica is in the middle of a run: it holds the app's lock.
        var held = await first.GetRequiredService<IDingRecoveryLock>().TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(held);
        Assert.Null(await first.GetRequiredService<IDingRecoveryLock>().TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName));

        var skipped = await second.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
        Assert.True(skipped.SkippedBecauseAnotherReplicaIsRecovering);
        Assert.Empty(skipped.Entries);
        Assert.Equal(0, skipped.Pages);
        Assert.Equal(1, _dingtalk.PendingFailedEvents);

        // Another app's recovery is not blocked by this one.
        var other = await second.GetRequiredService<IDingRecoveryLock>().TryAcquireAsync("hr");
        Assert.NotNull(other);
        await other.DisposeAsync();

        await held.DisposeAsync();
        var ran = await second.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
        Assert.False(ran.SkippedBecauseAnotherReplicaIsRecovering);
        Assert.Equal(DingRecoveryOutcome.Enqueued, Assert.Single(ran.Entries).Outcome);

        // The run released the lock when it ended.
        var again = await first.GetRequiredService<IDingRecoveryLock>().TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(again);
        await again.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task An_entry_recovered_by_one_replica_is_skipped_by_the_other()
    {
        var first = Replica(TestDispatcher.Default());
        var second = Replica(TestDispatcher.Default());

        Fail("u-2");
        Assert.Equal(DingRecoveryOutcome.Enqueued, Assert.Single((await first.GetRequiredService<DingFailedEventRecovery>().RecoverAsync()).Entries).Outcome);

        // DingTalk lists it again, and the other replica's turn comes: the shared record says it is done.
        Fail("u-2");
        var report = await second.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
        Assert.Equal(DingRecoveryOutcome.SkippedAlreadyRecovered, Assert.Single(report.Entries).Outcome);
        Assert.Equal(1, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".recovery_handled WHERE app = ''"));
        Assert.Equal(1, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".inbox"));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_entry_that_failed_on_one_replica_is_retried_by_the_other_after_its_backoff()
    {
        var time = new FakeTimeProvider(EventTime.AddHours(1));
        var failing = new TestDispatcher("user_add_org") { Handler = static _ => throw new InvalidOperationException("directory service down") };
        var healthy = new TestDispatcher("user_add_org");
        var first = Replica(failing, inbox: false, time);
        var second = Replica(healthy, inbox: false, time);

        // The fake consumes the failed list on read: only the shared record still has the entry after this run.
        Fail("u-3");
        Assert.Equal(DingRecoveryOutcome.Failed, Assert.Single((await first.GetRequiredService<DingFailedEventRecovery>().RecoverAsync()).Entries).Outcome);
        Assert.Equal(0, _dingtalk.PendingFailedEvents);

        Assert.Equal(DingRecoveryOutcome.Deferred, Assert.Single((await second.GetRequiredService<DingFailedEventRecovery>().RecoverAsync()).Entries).Outcome);
        Assert.Empty(healthy.HandlerRuns);

        time.Advance(TimeSpan.FromMinutes(1));
        var retried = await second.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
        var entry = Assert.Single(retried.Entries);
        Assert.Equal(DingRecoveryOutcome.Handled, entry.Outcome);
        var run = Assert.Single(healthy.HandlerRuns);
        Assert.Equal(2, run.DeliveryAttempt);
        Assert.Equal(DingDeliveryChannel.Recovery, run.Channel);

        // Done for both: nothing left to retry, and no event data left in the database.
        Assert.Empty((await first.GetRequiredService<DingFailedEventRecovery>().RecoverAsync()).Entries);
        Assert.Equal(0, await PostgresServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema}\".recovery_pending"));
        Assert.Single(failing.HandlerRuns);
    }
}
