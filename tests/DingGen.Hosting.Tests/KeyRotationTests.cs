using System.Net;
using DingGen.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests;

/// <summary>
/// Key rotation: during the window set by <c>PreviousKeysUntil</c> a host opens callbacks sealed with the current or the previous
/// keys and seals each reply with the keys that opened the request; after the window only the current keys work.
/// </summary>
public sealed class KeyRotationTests
{
    private const int Timeout = 60_000;

    // The keys after the rotation; the previous keys are TestKeys.Token / TestKeys.AesKey.
    private const string NewToken = "rotatedTok42";
    private const string NewAesKey = "Q9wE3rT5yU7iO1pA2sD4fG6hJ8kL0zX3cV5bN7mQ1w2";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
    private static readonly DateTimeOffset Until = Now.AddHours(1);

    private static Dictionary<string, string?> Rotated(string? previousToken = TestKeys.Token, string? previousAesKey = TestKeys.AesKey, string? newToken = NewToken, string? newAesKey = NewAesKey)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:Token"] = newToken;
        settings["DingGen:AesKey"] = newAesKey;
        settings["DingGen:PreviousToken"] = previousToken;
        settings["DingGen:PreviousAesKey"] = previousAesKey;
        settings["DingGen:PreviousKeysUntil"] = "2024-05-30T03:00:00Z"; // Until
        return settings;
    }

    private static Task<CallbackHost> StartAsync(FakeTimeProvider clock, Dictionary<string, string?> settings) =>
        CallbackHost.StartAsync(settings, configureServices: b => b.Services.AddSingleton<TimeProvider>(clock));

    [Fact(Timeout = Timeout)]
    public async Task During_the_window_callbacks_sealed_with_either_keys_are_handled_and_each_reply_uses_the_keys_of_its_request()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated());
        Assert.Equal(Until, host.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(string.Empty).PreviousKeysUntil);

        var oldSender = host.Simulator(TestKeys.Token, TestKeys.AesKey, time: clock);
        var newSender = host.Simulator(NewToken, NewAesKey, time: clock);
        var old = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-old"));
        var current = await newSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-new"));

        Assert.True(old.IsSuccessReply, old.Body);
        Assert.True(current.IsSuccessReply, current.Body);
        IndependentCrypto.AssertSuccessReply(old.Body!, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        IndependentCrypto.AssertSuccessReply(current.Body!, NewToken, NewAesKey, TestKeys.AppKey);
        Assert.False(newSender.IsSuccessReply(old.Body!));
        Assert.Equal(["evt-new", "evt-old"], host.Dispatcher!.HandlerRuns.Select(static r => r.EventId).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Each_keys_sealed_reply_is_reused_for_a_second_and_renewed_after_it()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated());
        var oldSender = host.Simulator(TestKeys.Token, TestKeys.AesKey, time: clock);
        var newSender = host.Simulator(NewToken, NewAesKey, time: clock);

        var old1 = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-old-1"));
        var new1 = await newSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-new-1"));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var old2 = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-old-2"));
        var new2 = await newSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-new-2"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var old3 = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-old-3"));
        var new3 = await newSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change", "evt-new-3"));

        foreach (var reply in new[] { old1, old2, old3 })
        {
            IndependentCrypto.AssertSuccessReply(reply.Body!, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        }

        foreach (var reply in new[] { new1, new2, new3 })
        {
            IndependentCrypto.AssertSuccessReply(reply.Body!, NewToken, NewAesKey, TestKeys.AppKey);
        }

        Assert.Equal(old1.Body, old2.Body);
        Assert.Equal(new1.Body, new2.Body);
        Assert.NotEqual(old1.Body, new1.Body);
        Assert.NotEqual(old1.Body, old3.Body);
        Assert.NotEqual(new1.Body, new3.Body);
        Assert.Equal(6, host.Dispatcher!.HandlerRuns.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task The_check_url_handshake_under_the_previous_keys_is_answered_with_the_previous_keys()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated());

        var result = await host.Simulator(TestKeys.Token, TestKeys.AesKey, time: clock).PostAsync(host.Client, TestKeys.Path, """{"EventType":"check_url"}""");

        Assert.True(result.IsSuccessReply, result.Body);
        IndependentCrypto.AssertSuccessReply(result.Body!, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
    }

    [Fact(Timeout = Timeout)]
    public async Task When_the_window_closes_the_previous_token_is_rejected_with_401_and_900006()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated());
        var oldSender = host.Simulator(TestKeys.Token, TestKeys.AesKey, time: clock);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"))).IsSuccessReply);

        clock.Advance(TimeSpan.FromMinutes(1)); // now == PreviousKeysUntil: closed
        var late = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        var current = await host.Simulator(NewToken, NewAesKey, time: clock).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal((int)DingCryptoErrorCode.ComputeSignatureError, IndependentCrypto.ErrorCode(late.Body!));
        Assert.True(current.IsSuccessReply);
        Assert.Equal(2, host.Dispatcher!.HandlerRuns.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Only_the_AesKey_rotated_the_previous_AesKey_works_until_the_window_closes()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated(previousToken: null, newToken: TestKeys.Token));
        var oldSender = host.Simulator(TestKeys.Token, TestKeys.AesKey, time: clock);

        var inWindow = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));
        clock.Advance(TimeSpan.FromHours(2));
        var late = await oldSender.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.True(inWindow.IsSuccessReply, inWindow.Body);
        IndependentCrypto.AssertSuccessReply(inWindow.Body!, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        Assert.False(late.IsSuccessReply);
        Assert.NotEqual(HttpStatusCode.OK, late.StatusCode);
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }

    [Fact(Timeout = Timeout)]
    public async Task Keys_that_are_neither_current_nor_previous_are_rejected_during_the_window()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, Rotated());

        var forged = await host.Simulator(TestKeys.OtherToken, TestKeys.OtherAesKey, time: clock).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal((int)DingCryptoErrorCode.ComputeSignatureError, IndependentCrypto.ErrorCode(forged.Body!));
        Assert.Empty(host.Dispatcher!.HandlerRuns);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("PreviousToken", "oldTok", null, "DingGen:PreviousKeysUntil is required")]
    [InlineData("PreviousAesKey", "tooShortS3cret", "2024-05-30T03:00:00Z", "DingGen:PreviousAesKey must be 43 characters")]
    [InlineData("PreviousToken", "  ", "2024-05-30T03:00:00Z", "DingGen:PreviousToken must not be blank")]
    [InlineData(null, null, "2024-05-30T03:00:00Z", "DingGen:PreviousKeysUntil is set but neither")]
    public async Task Incomplete_rotation_settings_fail_start_up_naming_the_setting(string? key, string? value, string? until, string expected)
    {
        var settings = TestKeys.DefaultSettings();
        if (key is not null)
        {
            settings["DingGen:" + key] = value;
        }

        settings["DingGen:PreviousKeysUntil"] = until;
        await using var app = CallbackHost.Build(settings, TestDispatcher.Default());
        app.MapDingCallback(TestKeys.Path);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tooShortS3cret", exception.Message, StringComparison.Ordinal);
    }
}
