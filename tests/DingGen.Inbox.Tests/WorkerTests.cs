using System.Text;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

public sealed class WorkerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1717034400000));

    public void Dispose() => _dir.Dispose();

    /// <summary>Advances the fake clock in small steps until <paramref name="condition"/> holds (timers the worker sets later fire too).</summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition, string what)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (await condition())
            {
                return true;
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            return false;
        }, what, timeoutMs: 30_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failing_handler_is_retried_with_exponential_backoff_until_it_succeeds()
    {
        var dispatcher = TestDispatcher.Default();
        var runs = 0;
        dispatcher.Handler = _ => Interlocked.Increment(ref runs) <= 2 ? throw new InvalidOperationException("downstream unavailable") : ValueTask.CompletedTask;
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher, _time);
        var admin = host.Admin();

        Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-retry"))).IsSuccessReply);

        // The first attempt needs no clock advance: adding the entry wakes the worker.
        await Eventually.TrueAsync(async () => (await host.AllAsync())[0].LastError is not null, "the first failure");
        var afterFirst = (await host.AllAsync())[0];
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(DingInboxState.Pending, afterFirst.State);
        Assert.Equal("Tests.ApprovalHandlers.OnInstanceChange: System.InvalidOperationException: downstream unavailable", afterFirst.LastError);
        var firstDelay = afterFirst.NextAttemptAt!.Value - _time.GetUtcNow();
        // DingBackoff: the first window is InitialRetryDelay (10 s); the wait lies in its upper half.
        Assert.InRange(firstDelay, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        await AdvanceUntilAsync(async () => (await host.AllAsync())[0].Attempts == 2 && (await host.AllAsync())[0].LeasedUntil is null, "the second failure");
        var afterSecond = (await host.AllAsync())[0];
        var secondDelay = afterSecond.NextAttemptAt!.Value - _time.GetUtcNow();
        Assert.InRange(secondDelay, TimeSpan.FromSeconds(10) - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));

        await AdvanceUntilAsync(async () => (await host.AllAsync())[0].State == DingInboxState.Done, "success on the third attempt");
        Assert.Equal([1, 2, 3], dispatcher.HandlerRuns.Select(static r => r.DeliveryAttempt!.Value));
        Assert.All(dispatcher.HandlerRuns, static r => Assert.Equal("evt-retry", r.EventId));
        Assert.Contains("failed attempt 1 of 8", host.AllLogText());
    }

    [Fact(Timeout = 60_000)]
    public async Task After_MaxAttempts_the_entry_is_dead_lettered_with_the_last_error_and_counted()
    {
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = static _ => throw new TimeoutException("approval service timed out");
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher, _time, inbox: [("MaxAttempts", "3")]);
        using var deadLettered = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.inbox.dead_lettered");
        using var attempts = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DingGenDiagnostics.MeterName, "dinggen.deliveries");

        Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-dead"))).IsSuccessReply);
        await AdvanceUntilAsync(async () => (await host.AllAsync())[0].State == DingInboxState.Dead, "the dead letter");

        var dead = (await host.AllAsync())[0];
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("Tests.ApprovalHandlers.OnInstanceChange: System.TimeoutException: approval service timed out", dead.LastError);
        Assert.Equal(3, dispatcher.HandlerRuns.Count);

        // Nothing more happens to a dead letter, however long we wait.
        _time.Advance(TimeSpan.FromHours(2));
        await Task.Delay(100);
        Assert.Equal(3, dispatcher.HandlerRuns.Count);

        Assert.Equal(1, deadLettered.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, attempts.GetMeasurementSnapshot().Where(static m => (string?)m.Tags["dinggen.outcome"] == "failed" && (string?)m.Tags["dinggen.channel"] == "inbox").Sum(static m => m.Value));
        var log = host.AllLogText();
        Assert.Contains("moved to the dead-letter state", log);
        Assert.DoesNotContain(TestKeys.PlaintextMarker, log);

        // An operator's retry brings it back; now the handler works.
        dispatcher.Handler = null;
        Assert.True(await host.Admin().RetryAsync(dead.Id, _time.GetUtcNow()));
        await AdvanceUntilAsync(async () => (await host.AllAsync())[0].State == DingInboxState.Done, "the retried entry to be done");
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_events_are_sealed_with_the_app_keys_deduplicated_on_their_event_id_and_dispatched_as_stream()
    {
        var dispatcher = TestDispatcher.Default();
        await using var host = await InboxHost.StartAsync(_dir.File("inbox.db"), dispatcher, _time);
        var writer = host.Services.GetRequiredService<DingInboxWriter>();
        var data = Encoding.UTF8.GetBytes($$"""{"timeStamp":"1685501863357","userId":["015xxxx227"],"note":"{{TestKeys.PlaintextMarker}}"}""");

        Assert.Equal(DingInboxAddResult.Added, await writer.EnqueueStreamEventAsync("", "user_add_org", "c7c7120f", "ding9f50", data, CancellationToken.None));
        Assert.Equal(DingInboxAddResult.Duplicate, await writer.EnqueueStreamEventAsync("", "user_add_org", "c7c7120f", "ding9f50", data, CancellationToken.None));

        await Eventually.TrueAsync(() => dispatcher.HandlerRuns.Count == 1, "the stream event to be handled");
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal(DingDeliveryChannel.Stream, run.Channel);
        Assert.Equal("c7c7120f", run.EventId);
        Assert.Equal("ding9f50", run.CorpId);
        Assert.Equal(data, run.Payload.ToArray());

        var stored = Assert.Single(await host.AllAsync());
        Assert.Equal("user_add_org:c7c7120f", stored.Entry.DedupKey);
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        Assert.Equal(data, crypto.Decrypt(stored.Entry.Envelope.Signature, stored.Entry.Envelope.Timestamp, stored.Entry.Envelope.Nonce, stored.Entry.Envelope.Encrypt));
        Assert.DoesNotContain(TestKeys.PlaintextMarker, stored.Entry.Envelope.Encrypt);
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_finishes_the_entry_in_flight_and_claims_nothing_new()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = async _ =>
        {
            started.TrySetResult();
            await gate.Task;
        };
        var path = _dir.File("inbox.db");
        var host = await InboxHost.StartAsync(path, dispatcher, _time, inbox: [("MaxConcurrency", "1")]);
        try
        {
            Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-a"))).IsSuccessReply);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "evt-b"))).IsSuccessReply);

            var stopping = host.App.StopAsync(CancellationToken.None);
            await Task.Delay(100);
            Assert.False(stopping.IsCompleted);
            gate.SetResult();
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            gate.TrySetResult();
            await host.DisposeAsync();
        }

        Assert.Single(dispatcher.HandlerRuns);
        using var inbox = new Sqlite.SqliteDingInbox(path);
        var records = await inbox.ListAsync(null, 10);
        Assert.Equal(DingInboxState.Done, records.Single(static r => r.Entry.EventId == "evt-a").State);
        var b = records.Single(static r => r.Entry.EventId == "evt-b");
        Assert.Equal(DingInboxState.Pending, b.State);
        Assert.Equal(0, b.Attempts);
    }

    [Fact]
    public void Retry_delays_double_from_the_initial_delay_up_to_the_maximum_with_bounded_jitter()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var config = new ConfigurationBuilder().AddInMemoryCollection(InboxHost.Settings(_dir.File("x.db"))).Build();
        services.AddDingGen(config.GetSection("DingGen")).UseSqliteInbox();
        services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
        using var provider = services.BuildServiceProvider();
        var worker = provider.GetRequiredService<DingInboxWorker>();

        // DingBackoff: the window doubles from InitialRetryDelay (10 s) up to MaxRetryDelay (10 min); the wait lies in its upper half.
        worker.Jitter = static () => 0.5;
        Assert.Equal(TimeSpan.FromSeconds(7.5), worker.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(15), worker.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(30), worker.RetryDelay(3));
        Assert.Equal(TimeSpan.FromMinutes(7.5), worker.RetryDelay(20));
        worker.Jitter = static () => 0.0;
        Assert.Equal(TimeSpan.FromSeconds(10), worker.RetryDelay(2));
        worker.Jitter = static () => 0.999999;
        Assert.InRange(worker.RetryDelay(2), TimeSpan.FromSeconds(19.9), TimeSpan.FromSeconds(20));
        Assert.InRange(worker.RetryDelay(30), TimeSpan.FromMinutes(9.99), TimeSpan.FromMinutes(10));
    }
}
