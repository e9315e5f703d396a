using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class AccessTokenTests
{
    [Fact(Timeout = 30_000)]
    public async Task Token_is_fetched_once_and_reused_for_many_calls()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var token = await f.Client.GetAccessTokenAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await f.Client.GetCallbackAsync());
            Assert.Equal(token, await f.Client.GetAccessTokenAsync());
        }

        Assert.Equal(1, f.Server.TokenRequests);
        Assert.Equal(32, token.Length);
    }

    [Fact(Timeout = 30_000)]
    public async Task Token_is_replaced_the_refresh_margin_before_it_expires_by_the_time_provider()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.TokenRefreshMargin = TimeSpan.FromMinutes(5));

        await f.Client.GetAccessTokenAsync();
        f.Time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await f.Client.GetAccessTokenAsync();
        Assert.Equal(1, f.Server.TokenRequests);

        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.Client.GetAccessTokenAsync();
        Assert.Equal(2, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Fifty_concurrent_callers_share_exactly_one_token_fetch()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Handler.TokenGate = gate;

        // Every caller has joined before the one fetch may leave the client.
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(() => f.Client.GetCallbackAsync())).ToArray();
        var tokens = Enumerable.Range(0, 50).Select(_ => f.Client.GetAccessTokenAsync()).ToArray();
        gate.SetResult();

        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));
        var distinct = (await Task.WhenAll(tokens)).Distinct().ToArray();

        Assert.Single(distinct);
        Assert.Equal(1, f.Server.TokenRequests);
        Assert.Equal(50, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task Expired_token_answered_42001_is_refreshed_once_and_the_call_retried()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var first = await f.Client.GetAccessTokenAsync();

        // The server expires the token while the client still believes it valid.
        f.Server.ExpireTokens();
        Assert.Null(await f.Client.GetCallbackAsync());

        Assert.Equal(2, f.Server.TokenRequests);
        Assert.NotEqual(first, await f.Client.GetAccessTokenAsync());
        Assert.Equal(["/gettoken:0", "/call_back/get_call_back:42001", "/gettoken:0", "/call_back/get_call_back:71007"], f.RequestLog());
    }

    [Theory(Timeout = 30_000)]
    [InlineData(40001)]
    [InlineData(40014)]
    [InlineData(42001)]
    public async Task Each_token_errcode_triggers_one_refresh_and_one_retry(int errorCode)
    {
        await using var f = await OpenApiFixture.StartAsync();
        await f.Client.GetAccessTokenAsync();
        f.Server.FailNext(DingTalkClient.DeleteCallbackPath, errorCode, "token problem");
        f.Server.SetRegistration(new DingCallbackRegistration("https://example.com/cb", ["user_add_org"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        await f.Client.DeleteCallbackAsync();

        Assert.Equal(2, f.Server.TokenRequests);
        Assert.Null(f.Server.Registration);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_second_token_error_after_the_refresh_is_thrown_not_retried_forever()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNext(DingTalkClient.GetCallbackPath, 42001, "access_token超时");
        f.Server.FailNext(DingTalkClient.GetCallbackPath, 42001, "access_token超时");
        f.Server.FailNext(DingTalkClient.GetCallbackPath, 42001, "access_token超时");

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.GetCallbackAsync());

        Assert.Equal(42001, ex.ErrorCode);
        Assert.True(ex.IsAccessTokenError);
        Assert.Equal(2, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetCallbackPath));
        Assert.Equal(2, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Fifty_callers_hitting_an_expired_token_cause_exactly_one_refresh()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await f.Client.GetAccessTokenAsync();
        f.Server.ExpireTokens();

        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(() => f.Client.GetCallbackAsync())).ToArray();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Wrong_secret_is_a_typed_error_with_a_hint_and_no_secret_in_message_or_logs()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.AppSecret = "Wrong-Secret-Value-123");

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.GetAccessTokenAsync());

        Assert.Equal(40096, ex.ErrorCode);
        Assert.Equal(DingTalkClient.GetTokenPath, ex.Api);
        Assert.Equal("不合法的appKey或appSecret", ex.ErrorMessage);
        Assert.Contains("AppSecret", ex.Hint, StringComparison.Ordinal);
        Assert.Contains("40096", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Secret-Value-123", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Secret-Value-123", f.AllLogText(), StringComparison.Ordinal);

        // A failed fetch is not cached: the next call tries again.
        await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.GetAccessTokenAsync());
        Assert.Equal(2, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_caller_that_gives_up_does_not_cancel_the_shared_fetch()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Handler.TokenGate = gate;
        using var cancel = new CancellationTokenSource();

        var impatient = f.Client.GetAccessTokenAsync(cancel.Token);
        var patient = f.Client.GetAccessTokenAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        gate.SetResult();

        Assert.NotEmpty(await patient.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Logs_never_hold_the_secret_the_access_token_or_the_callback_keys()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);

        await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]);
        f.Server.ExpireTokens();
        await f.Client.GetCallbackAsync();
        var token = await f.Client.GetAccessTokenAsync();

        var logs = f.AllLogText();
        Assert.Contains("42001", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.AppSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.Token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.AesKey, logs, StringComparison.Ordinal);
    }
}
