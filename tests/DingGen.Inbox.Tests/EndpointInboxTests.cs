using System.Net;
using System.Text;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Inbox.Tests;

public sealed class EndpointInboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task The_reply_is_success_before_the_handler_has_run_and_the_worker_then_handles_the_stored_event()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = async _ => await gate.Task;
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher);

        var result = await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-1"));

        Assert.True(result.IsSuccessReply);
        Assert.False(gate.Task.IsCompleted);
        var stored = Assert.Single(await host.AllAsync());
        Assert.Equal("user_add_org:evt-1", stored.Entry.DedupKey);
        Assert.Equal(DingDeliveryChannel.HttpPush, stored.Entry.Channel);

        gate.SetResult();
        await Eventually.TrueAsync(async () => (await host.AllAsync())[0].State == DingInboxState.Done, "the entry to be done");
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal("evt-1", run.EventId);
        Assert.Equal(1, run.DeliveryAttempt);
        Assert.Equal(DingDeliveryChannel.HttpPush, run.Channel);
        Assert.Equal("dingcorp0001", run.CorpId);
        Assert.Contains(TestKeys.PlaintextMarker, Encoding.UTF8.GetString(run.Payload.Span));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_redelivery_is_answered_success_stored_once_and_handled_once()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher);
        var dingtalk = host.Simulator();
        var payload = TestKeys.Event("bpms_instance_change", "evt-dup");

        var first = await dingtalk.PostAsync(host.Client, TestKeys.Path, payload);
        var second = await dingtalk.PostAsync(host.Client, TestKeys.Path, payload);
        await Eventually.TrueAsync(async () => (await host.AllAsync())[0].State == DingInboxState.Done, "the entry to be done");
        var third = await dingtalk.PostAsync(host.Client, TestKeys.Path, payload);

        Assert.True(first.IsSuccessReply);
        Assert.True(second.IsSuccessReply);
        Assert.True(third.IsSuccessReply);
        Assert.Single(await host.AllAsync());
        await Task.Delay(200);
        Assert.Single(dispatcher.HandlerRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_an_event_id_the_dedup_key_is_a_hash_of_the_plaintext()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher);
        var payload = """{"EventType":"user_add_org","UserId":["u1"],"TimeStamp":"1717034400000"}""";

        Assert.True((await host.Simulator().PostAsync(host.Client, TestKeys.Path, payload)).IsSuccessReply);
        Assert.True((await host.Simulator().PostAsync(host.Client, TestKeys.Path, payload)).IsSuccessReply);

        var stored = Assert.Single(await host.AllAsync());
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
        Assert.Equal("user_add_org:sha256-" + hash, stored.Entry.DedupKey);
        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 1, "the handler");
        Assert.Equal("sha256-" + hash, Assert.Single(dispatcher.HandlerRuns).EventId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Url_validations_and_unhandled_event_types_are_answered_directly_and_never_stored()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher);
        var dingtalk = host.Simulator();

        Assert.True((await dingtalk.PostAsync(host.Client, TestKeys.Path, """{"EventType":"check_url"}""")).IsSuccessReply);
        Assert.True((await dingtalk.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("org_dept_create"))).IsSuccessReply);

        Assert.Empty(await host.AllAsync());
        Assert.Empty(dispatcher.HandlerRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task Rejected_requests_are_never_stored()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher);
        var wrongKeys = host.Simulator(token: TestKeys.OtherToken);

        var result = await wrongKeys.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Empty(await host.AllAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task When_the_inbox_cannot_store_the_answer_is_500_never_success_and_no_handler_runs()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await CallbackHost.StartAsync(
            TestKeys.DefaultSettings(),
            dispatcher,
            configureServices: b => b.Services.AddDingGen(b.Configuration.GetSection("DingGen")).UseInbox(static _ => new FailingInbox()),
            addDefaultApp: false);

        var result = await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(HttpStatusCode.InternalServerError, result.StatusCode);
        Assert.False(result.IsSuccessReply);
        Assert.Equal((int)DingCallbackErrorCode.InboxUnavailable, result.ErrorCode);
        Assert.Empty(dispatcher.HandlerRuns);
        var log = host.AllLogText();
        Assert.Contains("could not be stored in the durable inbox", log);
        Assert.Contains("disk full", log);
        Assert.DoesNotContain(TestKeys.PlaintextMarker, log);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_database_file_never_contains_the_plaintext()
    {
        var dispatcher = TestDispatcher.Default();
        var path = _dir.File("inbox.db");
        await using (var host = await InboxHost.StartAsync(path, dispatcher))
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.True((await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-plain-" + i))).IsSuccessReply);
            }

            await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 20, "20 handler runs");
            Assert.All(dispatcher.HandlerRuns, static r => Assert.Contains(TestKeys.PlaintextMarker, Encoding.UTF8.GetString(r.Payload.Span)));
        }

        var bytes = new List<byte>();
        foreach (var file in Directory.GetFiles(_dir.Path, "inbox.db*"))
        {
            bytes.AddRange(File.ReadAllBytes(file));
        }

        var all = bytes.ToArray();
        Assert.True(all.AsSpan().IndexOf("evt-plain-7"u8) >= 0, "the event id (not secret) is stored, so this is the right file");
        Assert.True(all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TestKeys.PlaintextMarker)) < 0, "the plaintext marker must not be in the database");
        Assert.True(all.AsSpan().IndexOf("processInstanceId"u8) < 0, "no payload member may be in the database");
    }

    private sealed class FailingInbox : IDingInbox
    {
        public ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");

        public ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<DingInboxRecord>>([]);

        public ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(new DingInboxStats(0, 0, null));
    }
}
