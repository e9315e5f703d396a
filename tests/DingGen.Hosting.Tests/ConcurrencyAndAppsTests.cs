using System.Collections.Concurrent;
using System.Net;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DingGen.Hosting.Tests;

/// <summary>Concurrency, slow handlers, cancellation and several apps in one host.</summary>
public sealed class ConcurrencyAndAppsTests
{
    private const int Timeout = 120_000;

    [Fact(Timeout = Timeout)]
    public async Task A_thousand_concurrent_callbacks_are_all_answered_correctly()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        var wrong = host.Simulator(ownerKey: "dingnotmine");
        var results = new ConcurrentDictionary<int, (bool Good, HttpStatusCode Status, bool Success)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));

        await Parallel.ForEachAsync(
            Enumerable.Range(0, 1000),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token },
            async (i, ct) =>
            {
                // Every tenth is forged with a wrong owner key; the others alternate handled and unhandled event types.
                var good = i % 10 != 0;
                var eventType = i % 2 == 0 ? "bpms_instance_change" : "chat_update_title";
                var result = await (good ? simulator : wrong).PostAsync(host.Client, TestKeys.Path, TestKeys.Event(eventType, eventId: $"evt-{i}"), ct);
                results[i] = (good, result.StatusCode, result.IsSuccessReply);
            });

        Assert.Equal(1000, results.Count);
        foreach (var (_, (good, status, success)) in results)
        {
            Assert.Equal(good ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, status);
            Assert.Equal(good, success);
        }

        var handledIds = host.Dispatcher!.HandlerRuns.Select(c => c.EventId).ToHashSet();
        var expected = Enumerable.Range(0, 1000).Where(i => i % 10 != 0 && i % 2 == 0).Select(i => $"evt-{i}").ToHashSet();
        Assert.Equal(expected, handledIds);
        Assert.Equal(expected.Count, host.Dispatcher.HandlerRuns.Count);
        Assert.Equal(900, host.Dispatcher.Calls.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_slow_handler_does_not_block_other_callbacks()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = async context =>
        {
            if (context.EventId == "slow")
            {
                slowStarted.TrySetResult();
                await release.Task;
            }
        };
        await using var host = await CallbackHost.StartAsync(dispatcher: dispatcher);
        var simulator = host.Simulator();
        var wait = TimeSpan.FromSeconds(60);

        var slow = simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", eventId: "slow"));
        await slowStarted.Task.WaitAsync(wait);

        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", eventId: $"fast-{i}")))).WaitAsync(wait);

        Assert.All(others, r => Assert.True(r.IsSuccessReply));
        Assert.False(slow.IsCompleted);

        release.SetResult();
        var slowResult = await slow.WaitAsync(wait);
        Assert.True(slowResult.IsSuccessReply);
        Assert.Equal(21, dispatcher.HandlerRuns.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Handlers_get_the_ApplicationStopping_token_not_the_request_abort_token()
    {
        var seen = new TaskCompletionSource<(CancellationToken Handler, CancellationToken RequestAborted)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = context =>
        {
            var http = context.Services.GetRequiredService<IHttpContextAccessor>().HttpContext!;
            seen.TrySetResult((context.CancellationToken, http.RequestAborted));
            return ValueTask.CompletedTask;
        };
        await using var host = await CallbackHost.StartAsync(dispatcher: dispatcher, configureServices: static b => b.Services.AddHttpContextAccessor());

        var result = await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        var (handlerToken, requestAborted) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.IsSuccessReply);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.Equal(lifetime.ApplicationStopping, handlerToken);
        Assert.NotEqual(requestAborted, handlerToken);
        Assert.False(handlerToken.IsCancellationRequested);
    }

    [Fact(Timeout = Timeout)]
    public async Task Two_named_apps_in_one_host_each_accept_only_their_own_keys()
    {
        var settings = new Dictionary<string, string?>
        {
            ["DingTalk:Approvals:Token"] = TestKeys.Token,
            ["DingTalk:Approvals:AesKey"] = TestKeys.AesKey,
            ["DingTalk:Approvals:AppKey"] = TestKeys.AppKey,
            ["DingTalk:Hr:Token"] = TestKeys.OtherToken,
            ["DingTalk:Hr:AesKey"] = TestKeys.OtherAesKey,
            ["DingTalk:Hr:AppKey"] = TestKeys.OtherAppKey,
        };
        await using var host = await CallbackHost.StartAsync(
            settings,
            addDefaultApp: false,
            configureServices: static b =>
            {
                b.Services.AddDingGen("approvals", b.Configuration.GetSection("DingTalk:Approvals"));
                b.Services.AddDingGen("hr", b.Configuration.GetSection("DingTalk:Hr"));
            },
            map: static app =>
            {
                app.MapDingCallback("/dingtalk/approvals", "approvals");
                app.MapDingCallback("/dingtalk/hr", "hr");
            });
        var approvals = new DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        var hr = new DingTalkSimulator(TestKeys.OtherToken, TestKeys.OtherAesKey, TestKeys.OtherAppKey);

        var approvalsOwn = await approvals.PostAsync(host.Client, "/dingtalk/approvals", TestKeys.Event("bpms_instance_change", eventId: "a1"));
        var hrOwn = await hr.PostAsync(host.Client, "/dingtalk/hr", TestKeys.Event("user_add_org", eventId: "h1"));
        var approvalsAtHr = await approvals.PostAsync(host.Client, "/dingtalk/hr", TestKeys.Event("bpms_instance_change"));
        var hrAtApprovals = await hr.PostAsync(host.Client, "/dingtalk/approvals", TestKeys.Event("user_add_org"));

        Assert.True(approvalsOwn.IsSuccessReply);
        Assert.True(hrOwn.IsSuccessReply);
        Assert.Equal(HttpStatusCode.Unauthorized, approvalsAtHr.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hrAtApprovals.StatusCode);
        var runs = host.Dispatcher!.HandlerRuns.ToDictionary(c => c.EventId, c => c.AppName);
        Assert.Equal(new Dictionary<string, string?> { ["a1"] = "approvals", ["h1"] = "hr" }, runs);
    }
}
