using System.Text.Json;

namespace DingGen.Cli.Tests;

/// <summary><c>dinggen simulate</c> against a real MapDingCallback host on loopback.</summary>
public sealed class SimulateCommandTests
{
    private static readonly string[] Keys = ["--token", CallbackTestHost.Token, "--aes-key", CallbackTestHost.AesKey];

    [Theory(Timeout = 60_000)]
    [InlineData("check_url")]
    [InlineData("user_add_org")]
    [InlineData("bpms_instance_change")]
    [InlineData("some_future_event")]
    public async Task A_host_with_the_same_keys_answers_success_and_the_command_exits_0(string eventType)
    {
        await using var host = await CallbackTestHost.StartAsync();

        var result = await AsyncCliHarness.RunAsync(null, ["simulate", host.Url, eventType, .. Keys, "--owner-key", CallbackTestHost.CorpId, "--timeout", "30000"]);

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"POST {host.Url}  event {eventType}  owner key {CallbackTestHost.CorpId}", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("ATTEMPT", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("200", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("encrypted success", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Delivered: the reply decrypts to success.", result.StdoutText, StringComparison.Ordinal);
        if (eventType is "user_add_org" or "bpms_instance_change")
        {
            // The built-in sample is a realistic payload of that event.
            var (received, payload) = Assert.Single(host.Dispatcher.Events);
            Assert.Equal(eventType, received);
            using var json = JsonDocument.Parse(payload);
            Assert.True(json.RootElement.TryGetProperty(eventType == "user_add_org" ? "UserId" : "processInstanceId", out _));
        }
        else
        {
            Assert.Empty(host.Dispatcher.Events);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_host_on_another_owner_key_rejects_it_and_the_command_exits_3_with_json_for_scripts()
    {
        // The host is left on the AppKey; the event is encrypted with the CorpId.
        await using var host = await CallbackTestHost.StartAsync(ownerKey: CallbackTestHost.AppKey);

        var result = await AsyncCliHarness.RunAsync(null, ["simulate", host.Url, "user_add_org", .. Keys, "--owner-key", CallbackTestHost.CorpId, "--timeout", "30000", "--json"]);

        Assert.Equal(3, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("delivered").GetBoolean());
        Assert.Equal("user_add_org", json.RootElement.GetProperty("eventType").GetString());
        var attempt = Assert.Single(json.RootElement.GetProperty("attempts").EnumerateArray());
        Assert.Equal(401, attempt.GetProperty("status").GetInt32());
        Assert.Equal(900010, attempt.GetProperty("errorCode").GetInt32());
        Assert.False(attempt.GetProperty("successReply").GetBoolean());
        Assert.StartsWith("HTTP 401", attempt.GetProperty("failure").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_payload_file_is_sent_as_it_is_and_keys_may_come_from_the_environment()
    {
        await using var host = await CallbackTestHost.StartAsync(ownerKey: CallbackTestHost.AppKey);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"EventType":"user_leave_org","TimeStamp":"1719810100654","UserId":["0437261958473620"],"CorpId":"ding5a6b"}""");
            var environment = new Dictionary<string, string>
            {
                ["DINGGEN_TOKEN"] = CallbackTestHost.Token,
                ["DINGGEN_AES_KEY"] = CallbackTestHost.AesKey,
                ["DINGGEN_APP_KEY"] = CallbackTestHost.AppKey,
            };

            var result = await AsyncCliHarness.RunAsync(environment, "simulate", host.Url, "user_leave_org", "--payload", file, "--timeout", "30000");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("owner key dingfakeappkey0001", result.StdoutText, StringComparison.Ordinal);
            Assert.Equal(("user_leave_org", await File.ReadAllTextAsync(file)), Assert.Single(host.Dispatcher.Events));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_option_wins_over_its_environment_variable()
    {
        await using var host = await CallbackTestHost.StartAsync(ownerKey: CallbackTestHost.AppKey);
        var environment = new Dictionary<string, string> { ["DINGGEN_TOKEN"] = "wrong-token", ["DINGGEN_AES_KEY"] = CallbackTestHost.AesKey, ["DINGGEN_APP_KEY"] = CallbackTestHost.AppKey };

        var wrong = await AsyncCliHarness.RunAsync(environment, "simulate", host.Url, "check_url", "--timeout", "30000");
        var right = await AsyncCliHarness.RunAsync(environment, "simulate", host.Url, "check_url", "--token", CallbackTestHost.Token, "--timeout", "30000");

        Assert.Equal(3, wrong.ExitCode);
        Assert.Equal(0, right.ExitCode);
    }

    [Fact]
    public async Task Missing_keys_are_a_usage_error_naming_option_and_variable()
    {
        var result = await AsyncCliHarness.RunAsync(null, "simulate", "http://127.0.0.1:1/dingtalk/callback", "check_url");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error usage: simulate: missing --token (or DINGGEN_TOKEN), --aes-key (or DINGGEN_AES_KEY), --app-key (or DINGGEN_APP_KEY)\n", result.Stderr);
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://127.0.0.1/callback")]
    [InlineData("http://127.0.0.1/callback?signature=x")]
    public async Task A_bad_url_is_a_usage_error(string url)
    {
        var result = await AsyncCliHarness.RunAsync(null, ["simulate", url, "check_url", .. Keys, "--app-key", "A"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error usage: simulate: <url> must be an absolute http(s) URL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_file_that_is_not_a_json_object_is_refused_before_sending()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "[1,2]");

            var result = await AsyncCliHarness.RunAsync(null, ["simulate", "http://127.0.0.1:1/dingtalk/callback", "x", .. Keys, "--app-key", "A", "--payload", file]);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("error payload: the --payload file must hold a JSON object\n", result.Stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
