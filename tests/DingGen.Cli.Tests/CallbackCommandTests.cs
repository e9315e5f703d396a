using System.Text.Json;
using DingGen.Testing;

namespace DingGen.Cli.Tests;

/// <summary><c>dinggen callback register|update|get|delete|failed</c> against the fake DingTalk server (real check_url handshakes).</summary>
public sealed class CallbackCommandTests : IAsyncLifetime
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

    private string[] Keys => ["--token", CallbackTestHost.Token, "--aes-key", CallbackTestHost.AesKey];

    [Fact(Timeout = 60_000)]
    public async Task Register_get_update_and_delete_a_callback_as_tables()
    {
        await using var host = await CallbackTestHost.StartAsync();

        var registered = await AsyncCliHarness.RunAsync(null, ["callback", "register", "--url", host.Url, "--tags", "user_add_org, bpms_instance_change,user_add_org", .. Credentials, .. Keys]);
        Assert.Equal(string.Empty, registered.Stderr);
        Assert.Equal(0, registered.ExitCode);
        Assert.StartsWith($"Callback registered: {host.Url}\nTAG\nbpms_instance_change\nuser_add_org\n", registered.StdoutText, StringComparison.Ordinal);
        Assert.Equal(["bpms_instance_change", "user_add_org"], _server.Registration!.Tags);
        Assert.Equal(CallbackTestHost.Token, _server.Registration.Token);

        var got = await AsyncCliHarness.RunAsync(null, ["callback", "get", .. Credentials]);
        Assert.Equal(0, got.ExitCode);
        Assert.Equal($"URL: {host.Url}\nTAG\nbpms_instance_change\nuser_add_org\n", got.StdoutText);

        var updated = await AsyncCliHarness.RunAsync(null, ["callback", "update", "--url", host.Url, "--tags", "user_leave_org", .. Credentials, .. Keys]);
        Assert.Equal(0, updated.ExitCode);
        Assert.Equal(["user_leave_org"], _server.Registration!.Tags);
        Assert.Equal(2, _server.CheckUrlAttempts.Count);

        var deleted = await AsyncCliHarness.RunAsync(null, ["callback", "delete", .. Credentials]);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal("Callback deleted.\n", deleted.StdoutText);
        Assert.Null(_server.Registration);

        var none = await AsyncCliHarness.RunAsync(null, ["callback", "get", .. Credentials, "--json"]);
        Assert.Equal(0, none.ExitCode);
        using var json = JsonDocument.Parse(none.Stdout);
        Assert.False(json.RootElement.GetProperty("registered").GetBoolean());

        foreach (var output in new[] { registered, got, updated, deleted, none })
        {
            AssertNoSecrets(output);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Get_as_json_holds_url_and_tags_but_never_the_keys()
    {
        _server.SetRegistration(new DingCallbackRegistration("https://example.com/dingtalk/callback", ["bpms_task_change", "user_add_org"], CallbackTestHost.Token, CallbackTestHost.AesKey));

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "get", .. Credentials, "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("registered").GetBoolean());
        Assert.Equal("https://example.com/dingtalk/callback", json.RootElement.GetProperty("url").GetString());
        Assert.Equal(["bpms_task_change", "user_add_org"], json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        AssertNoSecrets(result);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_host_left_on_the_AppKey_fails_the_handshake_and_the_error_says_to_use_the_CorpId()
    {
        await using var host = await CallbackTestHost.StartAsync(ownerKey: CallbackTestHost.AppKey);

        var result = await AsyncCliHarness.RunAsync(null, ["callback", "register", "--url", host.Url, "--tags", "user_add_org", .. Credentials, .. Keys]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        // The host rejects the CorpId-encrypted check_url (401): the reply is not the encrypted success, 71009, and the
        // hint tells the user to make the CorpId the owner key.
        Assert.StartsWith("error 71009: ", line, StringComparison.Ordinal);
        Assert.Contains(" — ", line, StringComparison.Ordinal);
        Assert.Contains("OwnerKey to the CorpId", line, StringComparison.Ordinal);
        Assert.Null(_server.Registration);
        AssertNoSecrets(result);
    }

    [Fact(Timeout = 60_000)]
    public async Task Registering_twice_prints_DingTalks_71006_with_the_hint()
    {
        await using var host = await CallbackTestHost.StartAsync();
        string[] register = ["callback", "register", "--url", host.Url, "--tags", "user_add_org", .. Credentials, .. Keys];
        Assert.Equal(0, (await AsyncCliHarness.RunAsync(null, register)).ExitCode);

        var again = await AsyncCliHarness.RunAsync(null, register);

        Assert.Equal(2, again.ExitCode);
        Assert.Matches("^error 71006: .+ — .*update", Assert.Single(again.StderrLines));
    }

    [Fact(Timeout = 60_000)]
    public async Task Credentials_come_from_the_environment_and_an_option_wins()
    {
        var environment = new Dictionary<string, string>
        {
            ["DINGGEN_APP_KEY"] = CallbackTestHost.AppKey,
            ["DINGGEN_APP_SECRET"] = "wrong-secret",
            ["DINGGEN_BASE_URL"] = _server.BaseAddress.ToString(),
        };

        var wrong = await AsyncCliHarness.RunAsync(environment, "callback", "get");
        var right = await AsyncCliHarness.RunAsync(environment, "callback", "get", "--app-secret", Secret);

        Assert.Equal(2, wrong.ExitCode);
        Assert.StartsWith("error 40", Assert.Single(wrong.StderrLines), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", wrong.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, right.ExitCode);
        Assert.Equal("No callback is registered for this app.\n", right.StdoutText);
    }

    [Fact]
    public async Task Missing_credentials_are_a_usage_error_naming_options_and_variables()
    {
        var get = await AsyncCliHarness.RunAsync(null, "callback", "get");
        var register = await AsyncCliHarness.RunAsync(null, "callback", "register", "--app-key", "A", "--app-secret", "S");

        Assert.Equal(2, get.ExitCode);
        Assert.Equal("error usage: callback get: missing --app-key (or DINGGEN_APP_KEY), --app-secret (or DINGGEN_APP_SECRET)\n", get.Stderr);
        Assert.Equal(2, register.ExitCode);
        Assert.Equal("error usage: callback register: missing --token (or DINGGEN_TOKEN), --aes-key (or DINGGEN_AES_KEY), --url, --tags\n", register.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Failed_lists_every_entry_as_a_table_or_as_json_with_the_payload_it_replays_as()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1717034512000);
        _server.EnqueueFailedEvent("user_add_org", time, """{"corpid":"dingfakecorp0001","userid":["0214382847291053"]}""");
        _server.EnqueueFailedEvent("bpms_instance_change", time.AddSeconds(5), """{"corpid":"dingfakecorp0001","bpmsCallBackData":{"processInstanceId":"p-1","type":"finish","result":"agree"}}""");

        var table = await AsyncCliHarness.RunAsync(null, ["callback", "failed", .. Credentials]);

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(
            "TAG                   EVENT TIME                CORP ID           SHAPE\n"
            + "user_add_org          2024-05-30T02:01:52.000Z  dingfakecorp0001  Contact\n"
            + "bpms_instance_change  2024-05-30T02:01:57.000Z  dingfakecorp0001  Approval\n"
            + "2 failed deliveries.\n",
            table.StdoutText);

        _server.EnqueueFailedEvent("user_add_org", time, """{"corpid":"dingfakecorp0001","userid":["0214382847291053"]}""");
        var json = await AsyncCliHarness.RunAsync(null, ["callback", "failed", .. Credentials, "--json"]);

        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        var entry = Assert.Single(document.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal("user_add_org", entry.GetProperty("tag").GetString());
        Assert.Equal("Contact", entry.GetProperty("shape").GetString());
        Assert.Equal("user_add_org", entry.GetProperty("entry").GetProperty("call_back_tag").GetString());
        Assert.Equal("0214382847291053", entry.GetProperty("payload").GetProperty("UserId")[0].GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unreachable_server_api_is_a_network_error()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await AsyncCliHarness.RunAsync(null, "callback", "get", "--app-key", "A", "--app-secret", "S", "--base-url", $"http://127.0.0.1:{port}/");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error network: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    private static void AssertNoSecrets(CliResult result)
    {
        var all = result.StdoutText + result.Stderr;
        Assert.DoesNotContain(Secret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackTestHost.Token, all, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackTestHost.AesKey, all, StringComparison.Ordinal);
    }
}
