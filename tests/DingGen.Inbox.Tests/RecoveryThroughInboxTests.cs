using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Inbox.Tests;

/// <summary>With the inbox on, a failed-event recovery stores the recovered events in it instead of dispatching them itself.</summary>
public sealed class RecoveryThroughInboxTests : IDisposable
{
    private const string AppSecret = "recovery-through-inbox-secret";
    private const string CorpId = "dingcorp0001";
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task A_recovered_event_is_enqueued_run_once_by_the_worker_on_the_recovery_channel_and_never_twice()
    {
        await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = TestKeys.AppKey, AppSecret = AppSecret, CorpId = CorpId });
        var dispatcher = TestDispatcher.Default();
        await using var host = await StartAsync(dingtalk, dispatcher, _dir.File("recovered.jsonl"));
        var recovery = host.Services.GetRequiredService<DingFailedEventRecovery>();

        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-recovered"]}""");
        var first = Assert.Single((await recovery.RecoverAsync()).Entries);
        Assert.Equal(DingRecoveryOutcome.Enqueued, first.Outcome);

        await Eventually.TrueAsync(async () => (await host.AllAsync()).SingleOrDefault()?.State == DingInboxState.Done, "the worker to run the recovered event");
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal(DingDeliveryChannel.Recovery, run.Channel);
        Assert.Equal("user_add_org", run.EventType);
        Assert.Equal(first.EventId, run.EventId);
        Assert.Equal(DingDeliveryChannel.Recovery, (await host.AllAsync()).Single().Entry.Channel);

        // DingTalk lists it again: the recovery's own store skips it.
        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-recovered"]}""");
        Assert.Equal(DingRecoveryOutcome.SkippedAlreadyRecovered, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);

        // Even with the recovery store lost, the inbox recognises the event and does not run it again.
        var freshStore = new DingJsonLinesRecoveryStore(_dir.File("another-recovered.jsonl"));
        var forgetful = new DingFailedEventRecovery(
            host.Services.GetRequiredService<DingTalkClient>(), host.Services.GetRequiredService<DingDeliveryPipeline>(), freshStore)
        {
            Inbox = host.Services.GetRequiredService<DingInboxWriter>(),
        };
        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-recovered"]}""");
        Assert.Equal(DingRecoveryOutcome.AlreadyInInbox, Assert.Single((await forgetful.RecoverAsync()).Entries).Outcome);

        Assert.Single(await host.AllAsync());
        Assert.Single(dispatcher.HandlerRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_recovered_event_the_inbox_cannot_store_is_kept_in_the_recovery_store_and_stored_by_a_later_run()
    {
        await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = TestKeys.AppKey, AppSecret = AppSecret, CorpId = CorpId });
        var dispatcher = TestDispatcher.Default();
        var storePath = _dir.File("recovered.jsonl");
        await using var host = await StartAsync(dingtalk, dispatcher, storePath);
        var recovery = host.Services.GetRequiredService<DingFailedEventRecovery>();

        // The inbox's store is gone (disk full, database down): its writes throw.
        await ((IAsyncDisposable)host.Services.GetRequiredService<IDingInbox>()).DisposeAsync();
        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-kept"]}""");
        var failed = Assert.Single((await recovery.RecoverAsync()).Entries);

        // DingTalk's list was consumed by that read: the entry survives only in the recovery store, as a failed attempt.
        Assert.Equal(DingRecoveryOutcome.Failed, failed.Outcome);
        Assert.Contains("the durable inbox could not store it", failed.Error, StringComparison.Ordinal);
        var kept = Assert.Single(await new DingJsonLinesRecoveryStore(storePath).ListPendingAsync());
        Assert.Equal(1, kept.Attempts);
        Assert.Equal(DingRecoveryEntryState.Pending, kept.State);
        Assert.Contains("u-kept", kept.Entry.RawJson, StringComparison.Ordinal);
        Assert.Empty(dispatcher.HandlerRuns);
    }

    private static Task<CallbackHost> StartAsync(FakeDingTalkServer dingtalk, TestDispatcher dispatcher, string recoveryStore)
    {
        var settings = InboxHost.Settings(Path.Combine(Path.GetDirectoryName(recoveryStore)!, "inbox.db"));
        settings["DingGen:AppSecret"] = AppSecret;
        settings["DingGen:OpenApi:BaseAddress"] = dingtalk.BaseAddress.ToString();
        settings["DingGen:Recovery:StorePath"] = recoveryStore;
        return CallbackHost.StartAsync(
            settings,
            dispatcher,
            configureServices: static builder => builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseSqliteInbox().AddFailedEventRecovery(),
            addDefaultApp: false);
    }
}
