using System.Net;
using DingGen.OpenApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.OpenApi.Tests;

/// <summary>Defects found against an independent DingTalk: topapi token errors, "system busy", unsafe retries and the call deadline.</summary>
public sealed class ErrorCodeAndDeadlineTests
{
    [Fact(Timeout = 30_000)]
    public async Task The_topapi_form_of_an_invalid_token_88_with_sub_code_40014_refreshes_the_token_once()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.AddProcessInstance("pi-1", """{"title":"ok"}""");
        await f.Client.GetAccessTokenAsync();
        f.Server.RevokeTokens();

        var instance = await f.Client.GetProcessInstanceAsync("pi-1");

        Assert.Equal("ok", instance.Title);
        Assert.Equal(2, f.Server.TokenRequests);
        Assert.Equal(["/gettoken:0", "/topapi/processinstance/get:88", "/gettoken:0", "/topapi/processinstance/get:0"], f.RequestLog());
    }

    [Fact(Timeout = 30_000)]
    public async Task Errcode_minus_1_system_busy_is_retried_for_reads_and_writes_and_its_hint_is_not_a_configuration_problem()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNext(DingTalkClient.GetCallbackPath, -1, "系统繁忙");
        f.Server.FailNext(DingTalkClient.GetProcessInstancePath, -1, "系统繁忙");
        f.Server.AddProcessInstance("pi-1", """{"title":"ok"}""");

        Assert.Null(await f.Client.GetCallbackAsync());
        Assert.Equal("ok", (await f.Client.GetProcessInstanceAsync("pi-1")).Title);

        Assert.Equal(2, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetCallbackPath));
        Assert.Equal(2, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetProcessInstancePath));

        var hint = DingTalkApiException.GetHint(DingTalkApiException.SystemBusyCode, "系统繁忙");
        Assert.Contains("busy", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("BaseAddress", hint, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Busy_to_the_end_surfaces_as_errcode_minus_1_after_MaxTransientRetries()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.MaxTransientRetries = 2);
        for (var i = 0; i < 3; i++)
        {
            f.Server.FailNext(DingTalkClient.DeleteCallbackPath, -1, "系统繁忙");
        }

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.DeleteCallbackAsync());

        Assert.Equal(-1, ex.ErrorCode);
        Assert.Equal(3, f.Server.Requests.Count(r => r.Path == DingTalkClient.DeleteCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_POST_is_not_retried_after_the_connection_dropped_or_an_HTTP_500_but_a_GET_is()
    {
        var posts = 0;
        var gets = 0;
        await using var server = await StaticServer.StartAsync(async context =>
        {
            if (context.Request.Path == DingTalkClient.GetTokenPath)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"errcode":0,"errmsg":"ok","access_token":"t","expires_in":7200}""");
                return;
            }

            if (HttpMethods.IsPost(context.Request.Method))
            {
                Interlocked.Increment(ref posts);
            }
            else
            {
                Interlocked.Increment(ref gets);
            }

            // DingTalk may have carried the request out; the answer never arrives.
            context.Abort();
        });
        using var http = new HttpClient();
        var client = new DingTalkClient(http, new DingTalkClientOptions
        {
            AppKey = "k",
            AppSecret = "s",
            BaseAddress = server.BaseAddress,
            MaxTransientRetries = 2,
            RetryBaseDelay = TimeSpan.Zero,
        });

        var post = await Assert.ThrowsAsync<HttpRequestException>(() => client.RegisterCallbackAsync(new DingCallbackRegistration("https://example.com/cb", ["user_add_org"], "t", new string('a', 43))));
        var get = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetCallbackAsync());

        Assert.Null(post.StatusCode);
        Assert.Null(get.StatusCode);
        Assert.Equal(1, posts);
        Assert.Equal(3, gets);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_HTTP_500_to_register_is_not_retried()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.MaxTransientRetries = 3);
        f.Server.FailNextWithHttpStatus(DingTalkClient.RegisterCallbackPath, HttpStatusCode.InternalServerError);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.RegisterCallbackAsync(new DingCallbackRegistration("https://example.com/cb", ["user_add_org"], OpenApiKeys.Token, OpenApiKeys.AesKey)));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Single(f.Server.Requests, r => r.Path == DingTalkClient.RegisterCallbackPath);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_never_answers_fails_the_call_with_a_TimeoutException_at_the_one_overall_deadline()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StaticServer.StartAsync(async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var time = new FakeTimeProvider();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new DingTalkClient(http, new DingTalkClientOptions { AppKey = "k", AppSecret = "s", BaseAddress = server.BaseAddress, RetryBaseDelay = TimeSpan.Zero }, time);

        var call = client.GetCallbackAsync();
        await arrived.Task;
        Assert.False(call.IsCompleted);
        time.Advance(DingTalkClientOptions.DefaultCallTimeout);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("did not answer within 30 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CallTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CallTimeout_out_of_range_is_a_clear_configuration_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DingTalkClient(new HttpClient(), new DingTalkClientOptions { AppKey = "k", AppSecret = "s", CallTimeout = TimeSpan.Zero }));

        Assert.Contains("OpenApi:CallTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_71009_and_71012_hints_name_the_keys_and_the_owner_key_as_well_as_reachability()
    {
        foreach (var code in new[] { 71009, 71012 })
        {
            var hint = DingTalkApiException.GetHint(code, "detail")!;
            Assert.Contains("Token", hint, StringComparison.Ordinal);
            Assert.Contains("AesKey", hint, StringComparison.Ordinal);
            Assert.Contains("OwnerKey", hint, StringComparison.Ordinal);
            Assert.Contains("CorpId", hint, StringComparison.Ordinal);
            Assert.Contains("reach", hint, StringComparison.Ordinal);
        }
    }
}
