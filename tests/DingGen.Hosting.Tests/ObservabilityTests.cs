using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests;

/// <summary>Deadline warning, logs, metrics, activities and the health check.</summary>
public sealed class ObservabilityTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task A_callback_slower_than_1000_ms_warns_with_each_handler_duration()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var dispatcher = new TestDispatcher("bpms_instance_change", "user_add_org")
        {
            HandlerName = "Tests.SlowApprovals.OnInstanceChange",
            Handler = context =>
            {
                if (context.EventType == "bpms_instance_change")
                {
                    clock.Advance(TimeSpan.FromMilliseconds(1500));
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var host = await CallbackHost.StartAsync(dispatcher: dispatcher, configureServices: b => b.Services.AddSingleton<TimeProvider>(clock));
        var simulator = host.Simulator(time: clock);

        var fast = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains("DingTalk deadline at risk", StringComparison.Ordinal));

        var slow = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.True(fast.IsSuccessReply);
        Assert.True(slow.IsSuccessReply);
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Message.Contains("DingTalk deadline at risk", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("bpms_instance_change", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Tests.SlowApprovals.OnInstanceChange 1500 ms", warning.Message, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow().AddMilliseconds(-1500), dispatcher.HandlerRuns.Last().ReceivedAt);
        Assert.Same(clock, dispatcher.HandlerRuns.Last().TimeProvider);
    }

    [Fact]
    public void Simulator_takes_its_timestamp_from_the_TimeProvider_and_uses_an_8_character_nonce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1717034400123));
        var simulator = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey, clock);

        var callback = simulator.CreateCallback(TestKeys.Event("check_url"));
        using var request = simulator.CreateRequest(TestKeys.Path, callback);

        Assert.Equal("1717034400123", callback.Timestamp);
        Assert.Matches("^[A-Za-z0-9]{8}$", callback.Nonce);
        Assert.Equal(IndependentCrypto.Sign(TestKeys.Token, callback.Timestamp, callback.Nonce, callback.Encrypt), callback.Signature);
        Assert.Equal(TestKeys.Event("check_url").Length, IndependentCrypto.Decrypt(TestKeys.AesKey, callback.Encrypt).Message.Length);
        Assert.Equal($"{TestKeys.Path}?signature={callback.Signature}&timestamp=1717034400123&nonce={callback.Nonce}", request.RequestUri!.OriginalString);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact(Timeout = Timeout)]
    public async Task No_secret_or_plaintext_is_ever_logged()
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:AppSecret"] = "AppSecretValue-9d8c7b";
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = static context => context.EventId == "boom" ? throw new InvalidOperationException("handler failed") : ValueTask.CompletedTask;
        await using var host = await CallbackHost.StartAsync(settings, dispatcher);
        var simulator = host.Simulator();
        var statuses = new List<HttpStatusCode>();

        foreach (var payload in new[]
        {
            TestKeys.Event("bpms_instance_change"),
            TestKeys.Event("bpms_instance_change", eventId: "boom"),
            TestKeys.Event("chat_update_title"),
            """{"EventType":"check_url"}""",
            "not json " + TestKeys.PlaintextMarker,
            """{"Secretary":"PLAINTEXT-MARKER-7f3a"}""",
        })
        {
            statuses.Add((await simulator.PostAsync(host.Client, TestKeys.Path, payload)).StatusCode);
        }

        statuses.Add((await host.Simulator(ownerKey: "dingother").PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"))).StatusCode);
        statuses.Add((await host.Simulator(token: "badtoken").PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"))).StatusCode);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            statuses);
        var logs = host.AllLogText();
        Assert.Contains("DingTalk event bpms_instance_change", logs, StringComparison.Ordinal);
        Assert.Contains("dingcorp0001", logs, StringComparison.Ordinal);
        Assert.Contains("900010", logs, StringComparison.Ordinal);
        Assert.Contains("900006", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.AesKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("AppSecretValue-9d8c7b", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.PlaintextMarker, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("processInstanceId", logs, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Metrics_count_received_handled_unhandled_failed_and_rejected_with_durations()
    {
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = static context => context.EventId == "boom" ? throw new InvalidOperationException("x") : ValueTask.CompletedTask;
        await using var host = await CallbackHost.StartAsync(dispatcher: dispatcher);
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.callbacks.received");
        using var deliveries = new MetricCollector<long>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.deliveries");
        using var rejected = new MetricCollector<long>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.callbacks.rejected");
        using var duration = new MetricCollector<double>(meterFactory, DingGenDiagnostics.MeterName, "dinggen.callback.duration");
        var simulator = host.Simulator();

        await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", eventId: "boom"));
        await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("chat_update_title"));
        await host.Simulator(token: "badtoken").PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(4, received.GetMeasurementSnapshot().EvaluateAsCounter());
        // One shared instrument for every channel: the outcome and the channel are tags.
        var delivered = deliveries.GetMeasurementSnapshot();
        Assert.All(delivered, m => Assert.Equal("http_push", m.Tags["dinggen.channel"]));
        var handledMeasurement = Assert.Single(delivered, m => (string?)m.Tags["dinggen.outcome"] == "handled");
        Assert.Equal("bpms_instance_change", handledMeasurement.Tags["dinggen.event_type"]);
        Assert.Equal("default", handledMeasurement.Tags["dinggen.app"]);
        Assert.Equal(1, delivered.Count(m => (string?)m.Tags["dinggen.outcome"] == "unhandled"));
        Assert.Equal(1, delivered.Count(m => (string?)m.Tags["dinggen.outcome"] == "failed"));
        Assert.Equal("signature", Assert.Single(rejected.GetMeasurementSnapshot()).Tags["dinggen.reason"]);
        Assert.Equal(
            ["failed", "handled", "rejected", "unhandled"],
            duration.GetMeasurementSnapshot().Select(m => (string)m.Tags["dinggen.outcome"]!).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Each_callback_gets_an_activity_tagged_with_event_type_and_outcome()
    {
        var appName = "activity-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == DingGenDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("dinggen.app") as string == appName)
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await CallbackHost.StartAsync(
            addDefaultApp: false,
            configureServices: b => b.Services.AddDingGen(appName, b.Configuration.GetSection("DingGen")),
            map: app => app.MapDingCallback(TestKeys.Path, appName));

        await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        await host.Simulator(ownerKey: "dingother").PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        var recorded = activities.ToArray();
        Assert.Equal(2, recorded.Length);
        Assert.All(recorded, a => Assert.Equal(DingGenDiagnostics.CallbackActivityName, a.OperationName));
        Assert.Equal("bpms_instance_change", recorded[0].GetTagItem("dinggen.event_type"));
        Assert.Equal("handled", recorded[0].GetTagItem("dinggen.outcome"));
        Assert.Equal("rejected", recorded[1].GetTagItem("dinggen.outcome"));
        Assert.Equal(ActivityStatusCode.Error, recorded[1].Status);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(true, null, HealthStatus.Healthy)]
    [InlineData(false, null, HealthStatus.Unhealthy)]
    [InlineData(true, "NotA43CharacterKeyButSecret", HealthStatus.Unhealthy)]
    public async Task Health_check_is_unhealthy_without_a_dispatcher_or_with_invalid_configuration(bool withDispatcher, string? aesKey, HealthStatus expected)
    {
        var settings = TestKeys.DefaultSettings();
        if (aesKey is not null)
        {
            settings["DingGen:AesKey"] = aesKey;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDingGen(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("DingGen"));
        if (withDispatcher)
        {
            services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
        }

        services.AddHealthChecks().AddDingGenHealthCheck();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries[DingGenHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal(expected, entry.Status);
        if (aesKey is not null)
        {
            Assert.Contains("DingGen:AesKey must be 43 characters", entry.Description, StringComparison.Ordinal);
            Assert.DoesNotContain(aesKey, entry.Description, StringComparison.Ordinal);
        }
        else if (!withDispatcher)
        {
            Assert.Contains("IDingEventDispatcher", entry.Description, StringComparison.Ordinal);
        }
    }
}
