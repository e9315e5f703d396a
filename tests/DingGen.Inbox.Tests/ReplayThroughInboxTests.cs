using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Inbox.Tests;

/// <summary>With the inbox on, a failed-event replay stores the recovered events in it instead of dispatching them itself.</summary>
public sealed class ReplayThroughInboxTests : IDisposable
{
    private const string AppSecret = "replay-through-inbox-secret";
    private const string CorpId = "dingcorp0001";
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task A_replayed_event_is_enqueued_run_once_by_the_worker_on_the_replay_channel_and_never_twice()
    {
        await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = TestKeys.AppKey, AppSecret = AppSecret, CorpId = CorpId });
        var dispatcher = TestDispatcher.Default();
        await using var host = await StartAsync(dingtalk, dispatcher, _dir.File("replayed.jsonl"));
        var replayer = host.Services.GetRequiredService<DingFailedEventReplayer>();

        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-replayed"]}""");
        var first = Assert.Single((await replayer.ReplayAsync()).Entries);
        Assert.Equal(DingReplayOutcome.Enqueued, first.Outcome);

        await Eventually.TrueAsync(async () => (await host.AllAsync()).SingleOrDefault()?.State == DingInboxState.Done, "the worker to run the replayed event");
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal(DingDeliveryChannel.Replay, run.Channel);
        Assert.Equal("user_add_org", run.EventType);
        Assert.Equal(first.EventId, run.EventId);
        Assert.Equal(DingDeliveryChannel.Replay, (await host.AllAsync()).Single().Entry.Channel);

        // DingTalk lists it again: the replay's own store skips it.
        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-replayed"]}""");
        Assert.Equal(DingReplayOutcome.SkippedAlreadyReplayed, Assert.Single((await replayer.ReplayAsync()).Entries).Outcome);

        // Even with the replay store lost, the inbox recognises the event and does not run it again.
        var freshStore = new DingJsonLinesReplayStore(_dir.File("another-replayed.jsonl"));
        var forgetful = new DingFailedEventReplayer(
            host.Services.GetRequiredService<DingTalkClient>(), host.Services.GetRequiredService<DingEventRouter>(), host.Services.GetRequiredService<IServiceScopeFactory>(), freshStore)
        {
            Inbox = host.Services.GetRequiredService<DingInboxWriter>(),
        };
        dingtalk.EnqueueFailedEvent("user_add_org", EventTime, $$"""{"corpid":"{{CorpId}}","userid":["u-replayed"]}""");
        Assert.Equal(DingReplayOutcome.AlreadyInInbox, Assert.Single((await forgetful.ReplayAsync()).Entries).Outcome);

        Assert.Single(await host.AllAsync());
        Assert.Single(dispatcher.HandlerRuns);
    }

    private static Task<CallbackHost> StartAsync(FakeDingTalkServer dingtalk, TestDispatcher dispatcher, string replayStore)
    {
        var settings = InboxHost.Settings(Path.Combine(Path.GetDirectoryName(replayStore)!, "inbox.db"));
        settings["DingGen:AppSecret"] = AppSecret;
        settings["DingGen:OpenApi:BaseAddress"] = dingtalk.BaseAddress.ToString();
        settings["DingGen:Replay:StorePath"] = replayStore;
        return CallbackHost.StartAsync(
            settings,
            dispatcher,
            configureServices: static builder => builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseSqliteInbox().AddFailedEventReplay(),
            addDefaultApp: false);
    }
}
