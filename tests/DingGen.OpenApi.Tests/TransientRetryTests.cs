using System.Net;
using System.Net.Sockets;
using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class TransientRetryTests
{
    [Theory(Timeout = 30_000)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Transient_status_then_success_succeeds(HttpStatusCode status)
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, status);
        f.Server.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, status);

        Assert.Null(await f.Client.GetCallbackAsync());

        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["/gettoken:0", "/call_back/get_call_back:HTTP" + code, "/call_back/get_call_back:HTTP" + code, "/call_back/get_call_back:71007"], f.RequestLog());
    }

    [Fact(Timeout = 30_000)]
    public async Task Gettoken_is_retried_on_transient_failures_too()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNextWithHttpStatus(DingTalkClient.GetTokenPath, HttpStatusCode.ServiceUnavailable);

        Assert.NotEmpty(await f.Client.GetAccessTokenAsync());
        Assert.Equal(2, f.Server.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Retries_stop_after_MaxTransientRetries_with_the_HTTP_status()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.MaxTransientRetries = 2);
        await f.Client.GetAccessTokenAsync();
        for (var i = 0; i < 4; i++)
        {
            f.Server.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, HttpStatusCode.InternalServerError);
        }

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.GetCallbackAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(3, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task DingTalk_errors_are_not_retried()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.MaxTransientRetries = 5);
        f.Server.FailNext(DingTalkClient.GetFailedEventsPath, 90018, "调用频率超限");

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.GetFailedEventsAsync());

        Assert.Equal(90018, ex.ErrorCode);
        Assert.Equal("调用频率超限", ex.ErrorMessage);
        Assert.Single(f.Server.Requests, r => r.Path == DingTalkClient.GetFailedEventsPath);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_client_error_status_is_not_retried()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await f.Client.GetAccessTokenAsync();
        f.Server.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, HttpStatusCode.Forbidden);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.GetCallbackAsync());

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Single(f.Server.Requests, r => r.Path == DingTalkClient.GetCallbackPath);
    }

    [Fact(Timeout = 30_000)]
    public async Task Backoff_waits_on_the_time_provider_not_the_wall_clock()
    {
        await using var f = await OpenApiFixture.StartAsync(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMinutes(1);
            o.CallTimeout = TimeSpan.FromMinutes(10);
        });
        await f.Client.GetAccessTokenAsync();
        f.Server.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, HttpStatusCode.ServiceUnavailable);
        var start = f.Time.GetUtcNow();

        var call = f.Client.GetCallbackAsync();

        // A minute of backoff (±50 % jitter) passes only when the test advances the fake clock.
        while (!call.IsCompleted)
        {
            Assert.True(f.Time.GetUtcNow() - start < TimeSpan.FromMinutes(10), "the retry never happened");
            await Task.Delay(10);
            if (f.Server.Requests.Any(r => r.Path == DingTalkClient.GetCallbackPath))
            {
                f.Time.Advance(TimeSpan.FromSeconds(5));
            }
        }

        Assert.Null(await call);
        Assert.True(f.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(30), "the retry did not wait for the backoff");
        Assert.Equal(2, f.Server.Requests.Count(r => r.Path == DingTalkClient.GetCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task Connection_refused_is_retried_then_surfaces_as_HttpRequestException()
    {
        // A port that was just free and is now closed.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var handler = new CountingHandler(new SocketsHttpHandler { UseProxy = false });
        using var http = new HttpClient(handler);
        var client = new DingTalkClient(http, new DingTalkClientOptions
        {
            AppKey = OpenApiKeys.AppKey,
            AppSecret = OpenApiKeys.AppSecret,
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            MaxTransientRetries = 2,
            RetryBaseDelay = TimeSpan.Zero,
        });

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAccessTokenAsync());

        Assert.Null(ex.StatusCode);
        Assert.Equal(3, handler.Sent);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_body_that_is_not_DingTalk_json_is_a_typed_error()
    {
        await using var proxy = await StaticServer.StartAsync("<html>gateway</html>");
        using var http = new HttpClient();
        var client = new DingTalkClient(http, new DingTalkClientOptions { AppKey = "k", AppSecret = "s", BaseAddress = proxy.BaseAddress });

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => client.GetAccessTokenAsync());

        Assert.Equal(DingTalkApiException.InvalidResponseCode, ex.ErrorCode);
        Assert.Contains("BaseAddress", ex.Hint, StringComparison.Ordinal);
    }
}
