using System.Net;
using System.Net.Sockets;
using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

/// <summary>The pre-flight check_url SyncCallbackAsync plays against the URL before asking DingTalk, and what it reports.</summary>
public sealed class PreflightCheckTests
{
    private static int Calls(OpenApiFixture f, string path) => f.Server.Requests.Count(r => r.Path == path);

    [Fact(Timeout = 30_000)]
    public async Task A_host_whose_OwnerKey_is_the_AppKey_is_reported_as_such_before_DingTalk_is_asked()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.CorpId = OpenApiKeys.CorpId);
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.AppKey);

        var ex = await Assert.ThrowsAsync<DingCallbackUrlCheckException>(() => f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]));

        Assert.Equal(DingCallbackUrlCheckProblem.OwnerKeyNotCorpId, ex.Result.Problem);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.Result.StatusCode);
        Assert.Equal(900010, ex.Result.HostErrorCode);
        Assert.Contains("the host's OwnerKey is not the CorpId", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(OpenApiKeys.CorpId, ex.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("reachable", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Calls(f, DingTalkClient.RegisterCallbackPath));
        Assert.Null(f.Server.Registration);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_host_with_another_Token_is_reported_as_the_Token_differs()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.CorpId = OpenApiKeys.CorpId);
        await using var host = await CallbackHost.StartAsync("another-token", OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        f.Server.SetRegistration(new DingCallbackRegistration("https://old.example.com/cb", ["user_add_org"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        var ex = await Assert.ThrowsAsync<DingCallbackUrlCheckException>(() => f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]));

        Assert.Equal(DingCallbackUrlCheckProblem.TokenDiffers, ex.Result.Problem);
        Assert.Contains("the Token differs", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.Token, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("another-token", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Calls(f, DingTalkClient.UpdateCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_closed_port_is_reported_as_not_reachable_from_here()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.CorpId = OpenApiKeys.CorpId);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<DingCallbackUrlCheckException>(() => f.Client.SyncCallbackAsync($"http://127.0.0.1:{port}/dingtalk/callback", ["user_add_org"]));

        Assert.Equal(DingCallbackUrlCheckProblem.Unreachable, ex.Result.Problem);
        Assert.Contains("not reachable from here", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(0, Calls(f, DingTalkClient.RegisterCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_host_that_accepts_passes_and_the_registration_goes_ahead()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.CorpId = OpenApiKeys.CorpId);
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);

        var check = await f.Client.CheckCallbackUrlAsync(host.CallbackUrl, OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        Assert.True(check.Accepted);

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]);
        Assert.Equal(DingCallbackSyncAction.Registered, result.Action);
        Assert.Equal(host.CallbackUrl, f.Server.Registration!.Url);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_path_is_reported_with_the_status_and_a_hint_about_MapDingCallback()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);

        var check = await f.Client.CheckCallbackUrlAsync(new Uri(host.BaseAddress, "/nothing-here").ToString(), OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);

        Assert.Equal(DingCallbackUrlCheckProblem.NotSuccess, check.Problem);
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
        Assert.Contains("MapDingCallback", check.Hint, StringComparison.Ordinal);
    }
}
