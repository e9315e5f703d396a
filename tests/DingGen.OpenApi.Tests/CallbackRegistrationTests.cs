using System.Net;
using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class CallbackRegistrationTests
{
    private static DingCallbackRegistration Registration(string url, params string[] tags) =>
        new(url, tags.Length == 0 ? ["user_add_org", "bpms_instance_change"] : tags, OpenApiKeys.Token, OpenApiKeys.AesKey);

    [Fact(Timeout = 30_000)]
    public async Task Register_performs_the_real_handshake_against_a_host_whose_owner_key_is_the_CorpId()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, ownerKey: OpenApiKeys.CorpId);

        await f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl));

        var attempt = Assert.Single(f.Server.CheckUrlAttempts);
        Assert.Equal((HttpStatusCode.OK, 0), (attempt.StatusCode, attempt.ErrorCode));
        Assert.Equal(host.CallbackUrl, f.Server.Registration!.Url);
        var read = await f.Client.GetCallbackAsync();
        Assert.NotNull(read);
        Assert.Equal(host.CallbackUrl, read.Url);
        Assert.Equal(["user_add_org", "bpms_instance_change"], read.Tags);
        Assert.Equal(OpenApiKeys.Token, read.Token);
        Assert.Equal(OpenApiKeys.AesKey, read.AesKey);
        Assert.DoesNotContain(OpenApiKeys.Token, read.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_host_left_on_the_AppKey_as_owner_key_fails_with_71009_and_the_hint_names_the_CorpId()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, ownerKey: null);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl)));

        Assert.Equal(71009, ex.ErrorCode);
        Assert.Equal("返回文本非success", ex.ErrorMessage);
        Assert.Equal(DingTalkClient.RegisterCallbackPath, ex.Api);
        Assert.Contains("OwnerKey is not the CorpId", ex.Hint, StringComparison.Ordinal);
        Assert.Contains("CorpId as owner key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("71009", ex.Message, StringComparison.Ordinal);
        Assert.Null(f.Server.Registration);
        // The DingGen host rejected the check_url (wrong owner key) with 401: reached, but no success reply.
        Assert.Equal(HttpStatusCode.Unauthorized, Assert.Single(f.Server.CheckUrlAttempts).StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_host_with_another_token_fails_with_71009()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.OtherToken, OpenApiKeys.AesKey, ownerKey: OpenApiKeys.CorpId);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl)));

        Assert.Equal(71009, ex.ErrorCode);
        Assert.Contains("Token/AesKey differ", ex.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.Token, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenApiKeys.AesKey, ex.Message, StringComparison.Ordinal);
        Assert.Null(f.Server.Registration);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_host_with_another_aes_key_fails_with_71009()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.OtherAesKey, ownerKey: OpenApiKeys.CorpId);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl)));

        Assert.Equal(71009, ex.ErrorCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unreachable_url_fails_with_71012_and_the_hint_quotes_DingTalks_message()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration($"http://127.0.0.1:{port}/dingtalk/callback")));

        Assert.Equal(71012, ex.ErrorCode);
        Assert.Contains("url访问异常", ex.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", ex.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("could not reach", ex.Hint, StringComparison.Ordinal);
        Assert.Contains(ex.ErrorMessage, ex.Hint, StringComparison.Ordinal);
        var attempt = Assert.Single(f.Server.CheckUrlAttempts);
        Assert.Null(attempt.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_url_answering_404_fails_with_71012()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, ownerKey: OpenApiKeys.CorpId);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(new Uri(host.BaseAddress, "/wrong/path").ToString())));

        Assert.Equal(71012, ex.ErrorCode);
        Assert.Contains("404", ex.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_url_answering_200_without_an_encrypted_reply_fails_with_71009()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var liar = await StaticServer.StartAsync("success", contentType: "text/plain");

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(new Uri(liar.BaseAddress, "/cb").ToString())));

        Assert.Equal(71009, ex.ErrorCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Register_twice_fails_with_71006_and_the_hint_points_to_update()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        await f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl));

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl)));

        Assert.Equal(71006, ex.ErrorCode);
        Assert.Contains("UpdateCallbackAsync", ex.Hint, StringComparison.Ordinal);
        Assert.Contains("SyncCallbackAsync", ex.Hint, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Update_replaces_the_registration_after_a_new_handshake()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        await f.Client.RegisterCallbackAsync(Registration(host.CallbackUrl));

        await f.Client.UpdateCallbackAsync(Registration(host.CallbackUrl, "user_leave_org"));

        Assert.Equal(["user_leave_org"], f.Server.Registration!.Tags);
        Assert.Equal(2, f.Server.CheckUrlAttempts.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Update_with_nothing_registered_fails_with_71007()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.UpdateCallbackAsync(Registration("https://example.com/cb")));

        Assert.Equal(71007, ex.ErrorCode);
        Assert.Contains("register one first", ex.Hint, StringComparison.Ordinal);
        Assert.Empty(f.Server.CheckUrlAttempts);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_tag_fails_with_71008_naming_the_tag()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration("https://example.com/cb", "user_add_org", "user_add_orgg")));

        Assert.Equal(71008, ex.ErrorCode);
        Assert.Contains("user_add_orgg", ex.Hint, StringComparison.Ordinal);
        Assert.Contains("DingEventTypes", ex.Hint, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("short", OpenApiKeys.AesKey)]
    [InlineData(OpenApiKeys.Token, "tooShortAesKey")]
    public async Task Malformed_fields_fail_with_71010(string token, string aesKey)
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(new DingCallbackRegistration("https://example.com/cb", ["user_add_org"], token, aesKey)));

        Assert.Equal(71010, ex.ErrorCode);
        Assert.Contains("43 characters", ex.Hint, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Tags_that_are_not_an_array_fail_with_71010()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var token = await f.Client.GetAccessTokenAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(
            new Uri(f.Server.BaseAddress, "/call_back/register_call_back?access_token=" + token),
            new StringContent($$"""{"call_back_tag":"user_add_org","token":"{{OpenApiKeys.Token}}","aes_key":"{{OpenApiKeys.AesKey}}","url":"https://example.com/cb"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("\"errcode\":71010", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/cb")]
    [InlineData("/relative/cb")]
    public async Task A_bad_url_fails_with_71011(string url)
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration(url)));

        Assert.Equal(71011, ex.ErrorCode);
        Assert.Contains("absolute http(s) URL", ex.Hint, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_forbidden_domain_71013_carries_its_hint()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNext(DingTalkClient.RegisterCallbackPath, 71013, "此域名或IP不能注册或者接收回调事件");

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.RegisterCallbackAsync(Registration("https://10.0.0.1/cb")));

        Assert.Equal(71013, ex.ErrorCode);
        Assert.Contains("public domain", ex.Hint, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_returns_null_when_nothing_is_registered()
    {
        await using var f = await OpenApiFixture.StartAsync();

        Assert.Null(await f.Client.GetCallbackAsync());
        Assert.Contains("/call_back/get_call_back:71007", f.RequestLog());
    }

    [Fact(Timeout = 30_000)]
    public async Task Delete_removes_the_registration_and_deleting_nothing_fails_with_71007()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.SetRegistration(Registration("https://example.com/cb"));

        await f.Client.DeleteCallbackAsync();
        Assert.Null(f.Server.Registration);
        Assert.Null(await f.Client.GetCallbackAsync());

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.DeleteCallbackAsync());
        Assert.Equal(71007, ex.ErrorCode);
    }
}
