using System.Net;
using System.Text.Json;
using DingGen.Testing;
using DingGen.Tests.Shared;

namespace DingGen.Hosting.Tests;

/// <summary>Owner keys (AppKey, CorpId, the ISV placeholder) and DingTalk's own vectors posted verbatim.</summary>
public sealed class OwnerKeyAndVectorTests
{
    private const int Timeout = 60_000;
    private const string Placeholder = DingGenOptions.SuiteCreationPlaceholderOwnerKey;

    private static DingSealedMessage AsCallback(JsonElement vector) =>
        new(CryptoVectors.Text(vector, "signature"), CryptoVectors.Text(vector, "timestamp"), CryptoVectors.Text(vector, "nonce"), CryptoVectors.Text(vector, "encrypt"));

    private static Dictionary<string, string?> SettingsFor(JsonElement vector, string appKey, string? ownerKey = null, bool placeholder = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DingGen:Token"] = CryptoVectors.Text(vector, "token"),
            ["DingGen:AesKey"] = CryptoVectors.Text(vector, "aesKey"),
            ["DingGen:AppKey"] = appKey,
            ["DingGen:OwnerKey"] = ownerKey,
            ["DingGen:AcceptSuiteCreationPlaceholder"] = placeholder ? "true" : "false",
        };
        return settings;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("s-pos-003", false)] // check_url, AppKey owner
    [InlineData("s-pos-036", true)] // bpms_instance_change, AppKey owner
    public async Task Positive_vector_posted_verbatim_gets_200(string id, bool dispatched)
    {
        var vector = CryptoVectors.PositiveById(id);
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: CryptoVectors.Text(vector, "ownerKey")));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), CryptoVectors.Text(vector, "ownerKey"));
        using var request = simulator.CreateRequest(TestKeys.Path, AsCallback(vector));

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        IndependentCrypto.AssertSuccessReply(result.Body, CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), CryptoVectors.Text(vector, "ownerKey"));
        Assert.Equal(dispatched ? 1 : 0, host.Dispatcher!.HandlerRuns.Count);
        if (dispatched)
        {
            Assert.Equal(CryptoVectors.Text(vector, "plaintext"), System.Text.Encoding.UTF8.GetString(host.Dispatcher.HandlerRuns.Single().Payload.Span));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Owner_key_set_to_a_CorpId_accepts_enterprise_level_callbacks_and_rejects_the_AppKey()
    {
        // s-pos-035: bpms_instance_change registered with the old register_call_back API, owner key = CorpId.
        var vector = CryptoVectors.PositiveById("s-pos-035");
        var corpId = CryptoVectors.Text(vector, "ownerKey");
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: "dingappkey000001", ownerKey: corpId));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), corpId);
        using var request = simulator.CreateRequest(TestKeys.Path, AsCallback(vector));

        var verbatim = await simulator.SendAsync(host.Client, request);
        var fresh = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));
        var underAppKey = await new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), "dingappkey000001")
            .PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(HttpStatusCode.OK, verbatim.StatusCode);
        IndependentCrypto.AssertSuccessReply(verbatim.Body, CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), corpId);
        Assert.True(fresh.IsSuccessReply);
        Assert.Equal(HttpStatusCode.Unauthorized, underAppKey.StatusCode);
        Assert.Equal(2, host.Dispatcher!.HandlerRuns.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Suite_placeholder_is_accepted_for_check_create_suite_url_and_answered_under_the_placeholder()
    {
        // s-pos-041: DingTalk's check_create_suite_url under suite4xxxxxxxxxxxxxxx.
        var vector = CryptoVectors.PositiveById("s-pos-041");
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: "suiteqm3x8v5k0jz2rwp7", placeholder: true));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), Placeholder);
        using var request = simulator.CreateRequest(TestKeys.Path, AsCallback(vector));

        var verbatim = await simulator.SendAsync(host.Client, request);
        var fresh = await simulator.PostAsync(host.Client, TestKeys.Path, """{"EventType":"check_create_suite_url","Random":"brdkKLMW","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}""");

        Assert.Equal(HttpStatusCode.OK, verbatim.StatusCode);
        IndependentCrypto.AssertSuccessReply(verbatim.Body, CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), Placeholder);
        Assert.True(fresh.IsSuccessReply);
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("bpms_instance_change")]
    [InlineData("chat_update_title")]
    [InlineData("check_url")]
    [InlineData("check_update_suite_url")]
    public async Task Suite_placeholder_is_rejected_for_any_other_event(string eventType)
    {
        var vector = CryptoVectors.PositiveById("s-pos-041");
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: "suiteqm3x8v5k0jz2rwp7", placeholder: true));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), Placeholder);

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event(eventType));

        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal(900010, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Fact(Timeout = Timeout)]
    public async Task Suite_placeholder_is_rejected_unless_enabled()
    {
        var vector = CryptoVectors.PositiveById("s-pos-041");
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: "suiteqm3x8v5k0jz2rwp7", placeholder: false));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), Placeholder);
        using var request = simulator.CreateRequest(TestKeys.Path, AsCallback(vector));

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal(900010, IndependentCrypto.ErrorCode(result.Body));
    }

    [Fact(Timeout = Timeout)]
    public async Task With_the_placeholder_enabled_the_real_suite_key_still_works()
    {
        var vector = CryptoVectors.PositiveById("s-pos-041");
        await using var host = await CallbackHost.StartAsync(SettingsFor(vector, appKey: "suiteqm3x8v5k0jz2rwp7", placeholder: true));
        var simulator = new DingTalkSimulator(CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), "suiteqm3x8v5k0jz2rwp7");

        var check = await simulator.PostAsync(host.Client, TestKeys.Path, """{"EventType":"check_create_suite_url","Random":"x"}""");
        var handled = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        IndependentCrypto.AssertSuccessReply(check.Body, CryptoVectors.Text(vector, "token"), CryptoVectors.Text(vector, "aesKey"), "suiteqm3x8v5k0jz2rwp7");
        Assert.True(handled.IsSuccessReply);
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }
}
