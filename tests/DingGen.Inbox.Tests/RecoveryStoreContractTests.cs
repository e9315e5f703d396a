using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>What every <see cref="IDingRecoveryStore"/> must do; run against the JSON-lines file store and the PostgreSQL store.</summary>
public abstract class RecoveryStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    protected FakeTimeProvider Clock { get; } = new(Now);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store over the test's storage; a second call opens the same storage again (another process or replica).</summary>
    protected abstract IDingRecoveryStore Open();

    private static DingFailedEvent Entry(int i, string? corpId = "dingcorp0001", string? data = null) => new(
        "bpms_instance_change",
        Now.AddSeconds(i),
        corpId,
        $$"""{"call_back_tag":"bpms_instance_change","event_time":{{Now.AddSeconds(i).ToUnixTimeMilliseconds()}},"data":"x{{i}}"}""",
        data ?? $$$"""{"corpid":"dingcorp0001","bpmsCallBackData":{"processInstanceId":"p-{{{i}}}"}}""");

    private DingRecoveryPendingEntry Pending(int i, int attempts = 0, DingRecoveryEntryState state = DingRecoveryEntryState.Pending, string? error = null, string? corpId = "dingcorp0001", string? data = null)
    {
        var entry = Entry(i, corpId, data);
        return new DingRecoveryPendingEntry(DingRecoveryKey.For(entry), entry, attempts, Now.AddMinutes(attempts), state, error);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_handled_key_is_remembered_by_a_reopened_store_and_recording_it_twice_is_harmless()
    {
        var store = Open();
        var key = DingRecoveryKey.For(Entry(1));
        Assert.False(await store.ContainsAsync(key));

        await store.AddAsync(key);
        await store.AddAsync(key);

        Assert.True(await store.ContainsAsync(key));
        Assert.True(await Open().ContainsAsync(key));
        Assert.False(await Open().ContainsAsync(DingRecoveryKey.For(Entry(2))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Pending_records_round_trip_every_field_are_replaced_per_key_and_listed_oldest_first()
    {
        var store = Open();
        await store.SavePendingAsync(Pending(1));
        await store.SavePendingAsync(Pending(2, corpId: null, data: null));
        await store.SavePendingAsync(Pending(3, attempts: 8, state: DingRecoveryEntryState.DeadLettered, error: "Approvals.OnInstanceChange: down"));
        var replaced = Pending(1, attempts: 2, error: "Approvals.OnInstanceChange: timeout");
        await store.SavePendingAsync(replaced);

        var listed = await Open().ListPendingAsync();
        Assert.Equal([1, 2, 3], listed.Select(static e => (int)(e.Entry.EventTime - Now).TotalSeconds));
        Assert.Equal(replaced, listed[0] with { Entry = replaced.Entry });
        AssertSameEntry(replaced.Entry, listed[0].Entry);
        Assert.Equal(DingRecoveryEntryState.DeadLettered, listed[2].State);
        Assert.Equal(8, listed[2].Attempts);
        Assert.Equal("Approvals.OnInstanceChange: down", listed[2].LastError);
        Assert.Null(listed[1].Entry.CorpId);

        var one = await Open().GetPendingAsync(replaced.Key);
        Assert.NotNull(one);
        Assert.Equal(2, one.Attempts);
        Assert.Equal(Now.AddMinutes(2), one.NextAttemptAt);
        AssertSameEntry(replaced.Entry, one.Entry);
        Assert.Null(await store.GetPendingAsync(DingRecoveryKey.For(Entry(9))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Recording_a_key_as_handled_forgets_its_pending_record_and_removing_one_does_not_record_it()
    {
        var store = Open();
        var handled = Pending(1);
        var dropped = Pending(2);
        await store.SavePendingAsync(handled);
        await store.SavePendingAsync(dropped);

        await store.AddAsync(handled.Key);
        await store.RemovePendingAsync(dropped.Key);
        await store.RemovePendingAsync(dropped.Key);

        var reopened = Open();
        Assert.Empty(await reopened.ListPendingAsync());
        Assert.Null(await reopened.GetPendingAsync(handled.Key));
        Assert.True(await reopened.ContainsAsync(handled.Key));
        Assert.False(await reopened.ContainsAsync(dropped.Key));
    }

    private static void AssertSameEntry(DingFailedEvent expected, DingFailedEvent actual)
    {
        Assert.Equal(expected.Tag, actual.Tag);
        Assert.Equal(expected.EventTime, actual.EventTime);
        Assert.Equal(expected.CorpId, actual.CorpId);
        Assert.Equal(expected.RawJson, actual.RawJson);
        Assert.Equal(expected.DataJson, actual.DataJson);
    }
}

public sealed class JsonLinesRecoveryStoreContractTests : RecoveryStoreContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override IDingRecoveryStore Open() => new DingJsonLinesRecoveryStore(_dir.File("recovered.jsonl"), Clock);
}

public sealed class PostgreSqlRecoveryStoreContractTests : RecoveryStoreContractTests
{
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<PostgreSqlDingInbox> _replicas = [];

    public override async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await PostgresServer.DropSchemaAsync(_schema);
    }

    protected override IDingRecoveryStore Open()
    {
        var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        _replicas.Add(inbox);
        return new PostgreSqlRecoveryStore(inbox.SchemaHandle, DingGenServiceCollectionExtensions.DefaultAppName, Clock);
    }

    [Fact(Timeout = 60_000)]
    public async Task Apps_sharing_the_database_keep_separate_records()
    {
        var inbox = PostgreSqlDingInbox.Open(PostgresServer.ConnectionString, _schema);
        _replicas.Add(inbox);
        var hr = new PostgreSqlRecoveryStore(inbox.SchemaHandle, "hr", Clock);
        var entry = new DingFailedEvent("user_add_org", Now, null, "{}", "{}");
        var key = DingRecoveryKey.For(entry);
        await hr.AddAsync(key);
        await hr.SavePendingAsync(new DingRecoveryPendingEntry(DingRecoveryKey.For(entry with { DataJson = "{\"a\":1}" }), entry with { DataJson = "{\"a\":1}" }, 0, Now, DingRecoveryEntryState.Pending, null));

        var main = Open();
        Assert.False(await main.ContainsAsync(key));
        Assert.Empty(await main.ListPendingAsync());
        Assert.Single(await hr.ListPendingAsync());
    }
}
