using System.Net;
using System.Text.Json;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests.Redelivery;

/// <summary>
/// DingTalkSimulator.DeliverAsync against a real host: DingTalk's redelivery schedule (spec 2.4: +10 s, then +30 s, then the
/// failed list), driven by a FakeTimeProvider so no test waits on the wall clock.
/// </summary>
public sealed class SimulatorRedeliveryTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 60_000)]
    public async Task A_delivery_answered_with_success_is_sent_once()
    {
        await using var host = await CallbackHost.StartAsync();
        var time = new FakeTimeProvider(Start);
        var scheduled = 0;
        var dingtalk = host.Simulator(time: time);

        var report = await dingtalk.DeliverAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"), new() { RetryScheduled = _ => scheduled++ });

        var attempt = Assert.Single(report.Attempts);
        Assert.True(report.Delivered);
        Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        Assert.True(attempt.IsSuccessReply);
        Assert.Null(attempt.Failure);
        Assert.Equal(Start, attempt.At);
        Assert.Equal(0, scheduled);
        Assert.Empty(dingtalk.FailedEvents);
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failing_handler_is_redelivered_10_s_and_then_30_s_later_and_the_third_success_ends_it()
    {
        await using var host = await CallbackHost.StartAsync();
        var runs = 0;
        host.Dispatcher!.Handler = _ => ++runs <= 2 ? throw new InvalidOperationException("database down") : ValueTask.CompletedTask;
        var time = new FakeTimeProvider(Start);
        var dingtalk = host.Simulator(time: time);
        var clock = new RetryClock(time);

        var delivery = dingtalk.DeliverAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-1"), clock.Options);

        var first = await clock.NextAsync();
        Assert.Equal(2, first.NextAttempt);
        Assert.Equal(Start.AddSeconds(10), first.DueAt);
        Assert.Equal(HttpStatusCode.InternalServerError, first.FailedAttempt.StatusCode);
        time.Advance(TimeSpan.FromSeconds(10));

        var second = await clock.NextAsync();
        Assert.Equal(3, second.NextAttempt);
        Assert.Equal(Start.AddSeconds(40), second.DueAt);
        time.Advance(TimeSpan.FromSeconds(30));

        var report = await delivery.WaitAsync(Wait);
        Assert.True(report.Delivered);
        Assert.False(report.WentToFailedList);
        Assert.Equal([Start, Start.AddSeconds(10), Start.AddSeconds(40)], report.Attempts.Select(a => a.At));
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], report.Attempts.Select(a => a.StatusCode));
        Assert.Equal([false, false, true], report.Attempts.Select(a => a.IsSuccessReply));
        Assert.Equal([1, 2, 3], report.Attempts.Select(a => a.Number));
        Assert.StartsWith("HTTP 500", report.Attempts[0].Failure, StringComparison.Ordinal);
        Assert.Empty(dingtalk.FailedEvents);

        // Every redelivery carries the same event id, so handlers can de-duplicate.
        Assert.Equal(["evt-1", "evt-1", "evt-1"], host.Dispatcher.HandlerRuns.Select(c => c.EventId));
    }

    [Fact(Timeout = 60_000)]
    public async Task After_the_second_redelivery_fails_the_event_goes_to_the_failed_list_and_the_sink()
    {
        await using var host = await CallbackHost.StartAsync();
        host.Dispatcher!.Handler = _ => throw new InvalidOperationException("always down");
        var time = new FakeTimeProvider(Start);
        var sunk = new List<DingTalkFailedDelivery>();
        var dingtalk = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey, time) { FailedEventSink = sunk.Add };
        var clock = new RetryClock(time);
        var payload = """{"EventType":"user_add_org","CorpId":"dingcorp0001","TimeStamp":"1717034512345","UserId":["0214382847291053"]}""";

        var delivery = dingtalk.DeliverAsync(host.Client, TestKeys.Path, payload, clock.Options);
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var report = await delivery.WaitAsync(Wait);

        Assert.Equal(3, report.Attempts.Count);
        Assert.True(report.WentToFailedList);
        Assert.Equal(3, host.Dispatcher.HandlerRuns.Count);
        var failed = Assert.Single(dingtalk.FailedEvents);
        Assert.Same(failed, Assert.Single(sunk));
        Assert.Equal("user_add_org", failed.EventType);
        Assert.Equal(Start, failed.EventTime);
        Assert.Same(report, failed.Report);

        // The entry DingTalk's failed list would show, in the documented contact shape.
        using var entry = JsonDocument.Parse(failed.ToFailedListEntryJson());
        Assert.Equal("user_add_org", entry.RootElement.GetProperty("call_back_tag").GetString());
        Assert.Equal(Start.ToUnixTimeMilliseconds(), entry.RootElement.GetProperty("event_time").GetInt64());
        var data = entry.RootElement.GetProperty("user_add_org");
        Assert.Equal("dingcorp0001", data.GetProperty("corpid").GetString());
        Assert.Equal("0214382847291053", data.GetProperty("userid")[0].GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_reply_that_is_not_the_encrypted_success_counts_as_a_failure()
    {
        // The host decrypts with another owner key: every attempt is answered 401, never with success.
        await using var host = await CallbackHost.StartAsync();
        var time = new FakeTimeProvider(Start);
        var dingtalk = host.Simulator(ownerKey: "dingsomeothercorp", time: time);
        var clock = new RetryClock(time);

        var delivery = dingtalk.DeliverAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"), clock.Options);
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var report = await delivery.WaitAsync(Wait);

        Assert.All(report.Attempts, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(report.Attempts, a => Assert.Equal((int)DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError, a.ErrorCode));
        Assert.Single(dingtalk.FailedEvents);
        Assert.Empty(host.Dispatcher!.HandlerRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_host_that_does_not_answer_within_the_deadline_fails_the_attempt()
    {
        await using var host = await CallbackHost.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new SemaphoreSlim(0);
        host.Dispatcher!.Handler = async _ =>
        {
            entered.Release();
            await release.Task;
        };
        var time = new FakeTimeProvider(Start);
        var dingtalk = host.Simulator(time: time);

        try
        {
            // A single attempt: the 1500 ms deadline runs on the fake clock, so advancing it is what times the host out.
            var delivery = dingtalk.DeliverAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"), new() { RetryDelays = [] });
            Assert.True(await entered.WaitAsync(Wait));
            time.Advance(TimeSpan.FromMilliseconds(1500));
            var report = await delivery.WaitAsync(Wait);

            var attempt = Assert.Single(report.Attempts);
            Assert.Null(attempt.StatusCode);
            Assert.False(attempt.IsSuccessReply);
            Assert.Equal("no reply within 1500 ms", attempt.Failure);
            Assert.Single(dingtalk.FailedEvents);
        }
        finally
        {
            release.SetResult();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_connection_failure_is_an_attempt_that_failed_not_an_exception()
    {
        // A port nothing listens on: take one from the OS, then close it.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new HttpClient();
        var time = new FakeTimeProvider(Start);
        var dingtalk = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey, time);
        var clock = new RetryClock(time);

        var delivery = dingtalk.DeliverAsync(client, $"http://127.0.0.1:{port}/dingtalk/callback", TestKeys.Event("bpms_instance_change"), clock.Options with { ResponseTimeout = null });
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await clock.NextAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var report = await delivery.WaitAsync(Wait);

        Assert.Equal(3, report.Attempts.Count);
        Assert.All(report.Attempts, a => Assert.StartsWith("request failed: ", a.Failure, StringComparison.Ordinal));
        Assert.All(report.Attempts, a => Assert.Null(a.StatusCode));
        Assert.True(report.WentToFailedList);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelling_a_pending_redelivery_stops_the_delivery()
    {
        await using var host = await CallbackHost.StartAsync();
        host.Dispatcher!.Handler = _ => throw new InvalidOperationException("down");
        var time = new FakeTimeProvider(Start);
        var dingtalk = host.Simulator(time: time);
        var clock = new RetryClock(time);
        using var cancel = new CancellationTokenSource();

        var delivery = dingtalk.DeliverAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"), clock.Options, cancel.Token);
        await clock.NextAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery.WaitAsync(Wait));
        Assert.Empty(dingtalk.FailedEvents);
        Assert.Single(host.Dispatcher.HandlerRuns);
    }

    /// <summary>Hands each scheduled redelivery to the test once its delay is armed on the fake clock.</summary>
    private sealed class RetryClock(FakeTimeProvider time)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<DingTalkRetryScheduled> _scheduled = new();
        private readonly SemaphoreSlim _signal = new(0);

        public FakeTimeProvider Time { get; } = time;

        public DingTalkDeliveryOptions Options => new()
        {
            RetryScheduled = retry =>
            {
                _scheduled.Enqueue(retry);
                _signal.Release();
            },
        };

        public async Task<DingTalkRetryScheduled> NextAsync()
        {
            Assert.True(await _signal.WaitAsync(Wait), "no redelivery was scheduled");
            Assert.True(_scheduled.TryDequeue(out var retry));
            return retry;
        }
    }
}
