using System.Net;
using System.Net.Sockets;
using DingGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DingGen.Cli.Tests;

/// <summary>Every failure of a <c>dinggen callback …</c> command is one <c>error …</c> line and exit code 2, never a stack trace.</summary>
public sealed class CallbackFailureTests : IAsyncLifetime
{
    private const string Secret = "fake-app-secret";
    private FakeDingTalkServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions
    {
        AppKey = CallbackTestHost.AppKey,
        AppSecret = Secret,
        CorpId = CallbackTestHost.CorpId,
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string[] Credentials => ["--app-key", CallbackTestHost.AppKey, "--app-secret", Secret, "--base-url", _server.BaseAddress.ToString()];

    private static string[] Keys => ["--token", CallbackTestHost.Token, "--aes-key", CallbackTestHost.AesKey];

    private static void AssertOneErrorLine(CliResult result, string prefix)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackTestHost.AesKey, result.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_that_never_answers_is_one_timeout_line_at_the_deadline()
    {
        await using var silent = await LoopbackServer.StartAsync(async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        var result = await AsyncCliHarness.RunAsync(
            new Dictionary<string, string> { ["DINGGEN_TIMEOUT"] = "0.5" },
            ["callback", "get", "--app-key", "k", "--app-secret", "s", "--base-url", silent.BaseAddress]);

        AssertOneErrorLine(result, "error timeout: ");
        Assert.Contains("did not answer within 0.5 s", result.Stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("get")]
    [InlineData("delete")]
    [InlineData("failed")]
    public async Task HTTP_500_is_one_network_line(string command)
    {
        await using var broken = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });

        var result = await AsyncCliHarness.RunAsync(null, ["callback", command, "--app-key", "k", "--app-secret", "s", "--base-url", broken.BaseAddress]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error network: ", result.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("HTTP 500", result.StderrLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_connection_is_one_network_line()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "get", "--app-key", "k", "--app-secret", "s", "--base-url", $"http://127.0.0.1:{port}/"]);

        AssertOneErrorLine(result, "error network: ");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_AppSecret_is_one_usage_line()
    {
        var result = await AsyncCliHarness.RunAsync(null, ["callback", "get", "--app-key", "k", "--base-url", _server.BaseAddress.ToString()]);

        AssertOneErrorLine(result, "error usage: callback get: missing --app-secret (or DINGGEN_APP_SECRET)");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_AesKey_of_the_wrong_shape_is_refused_locally_without_echoing_it()
    {
        var result = await AsyncCliHarness.RunAsync(null, ["callback", "register", "--url", "https://example.com/cb", "--tags", "user_add_org", .. Credentials, "--token", "T", "--aes-key", "short-secret-key"]);

        AssertOneErrorLine(result, "error usage: callback register: --aes-key (or DINGGEN_AES_KEY) must be 43 Base64 characters");
        Assert.DoesNotContain("short-secret-key", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact(Timeout = 60_000)]
    public async Task With_corp_id_a_host_left_on_the_AppKey_is_named_before_DingTalk_is_asked()
    {
        await using var host = await CallbackTestHost.StartAsync(ownerKey: CallbackTestHost.AppKey);

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "register", "--url", host.Url, "--tags", "user_add_org", .. Credentials, .. Keys, "--corp-id", CallbackTestHost.CorpId]);

        AssertOneErrorLine(result, "error check_url: ");
        Assert.Contains("the host's OwnerKey is not the CorpId", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(" — ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Path == DingTalkClient.RegisterCallbackPath);
    }

    [Fact(Timeout = 60_000)]
    public async Task With_corp_id_an_unreachable_url_is_not_reachable_from_here()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await AsyncCliHarness.RunAsync(
            new Dictionary<string, string> { ["DINGGEN_CORP_ID"] = CallbackTestHost.CorpId },
            ["callback", "update", "--url", $"http://127.0.0.1:{port}/dingtalk/callback", "--tags", "user_add_org", .. Credentials, .. Keys]);

        AssertOneErrorLine(result, "error check_url: ");
        Assert.Contains("not reachable from here", result.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task With_corp_id_a_good_host_is_checked_then_registered()
    {
        await using var host = await CallbackTestHost.StartAsync();

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "register", "--url", host.Url, "--tags", "user_add_org", .. Credentials, .. Keys, "--corp-id", CallbackTestHost.CorpId]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Pre-flight check_url: the host accepted it.", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal(host.Url, _server.Registration!.Url);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_71006_hint_names_the_cli_command_not_a_csharp_method()
    {
        await using var host = await CallbackTestHost.StartAsync();
        string[] register = ["callback", "register", "--url", host.Url, "--tags", "user_add_org", .. Credentials, .. Keys];
        Assert.Equal(0, (await AsyncCliHarness.RunAsync(null, register)).ExitCode);

        var again = await AsyncCliHarness.RunAsync(null, register);

        AssertOneErrorLine(again, "error 71006: ");
        Assert.Contains("dinggen callback update", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Async", again.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listing_the_failed_list_warns_that_reading_may_consume_it()
    {
        _server.EnqueueFailedEvent("user_add_org", DateTimeOffset.FromUnixTimeMilliseconds(1717034512000), """{"corpid":"dingcorp0001","userid":["u1"]}""");

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "failed", .. Credentials]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("warning: DingTalk does not say whether reading the failed list consumes it", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Contains("user_add_org", result.StdoutText, StringComparison.Ordinal);
    }
}
