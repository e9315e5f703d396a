using System.Globalization;
using System.Net;
using System.Text;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests;

/// <summary>The opt-in replay guard: timestamp tolerance and the bounded signature cache, over real Kestrel with a fake clock.</summary>
public sealed class ReplayGuardTests
{
    private const int Timeout = 60_000;

    /// <summary>2024-05-30 02:00:00.923 UTC: the last three digits make the re-split attack below possible.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400923);

    private static Dictionary<string, string?> GuardOn(string? tolerance = "00:05:00", string? cacheSize = null)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:ReplayGuard:Enabled"] = "true";
        settings["DingGen:ReplayGuard:TimestampTolerance"] = tolerance;
        settings["DingGen:ReplayGuard:NonceCacheSize"] = cacheSize;
        return settings;
    }

    private static Task<CallbackHost> StartAsync(FakeTimeProvider clock, Dictionary<string, string?> settings, TestDispatcher? dispatcher = null) =>
        CallbackHost.StartAsync(settings, dispatcher, configureServices: b => b.Services.AddSingleton<TimeProvider>(clock));

    private static async Task<DingTalkDeliveryResult> SendAsync(CallbackHost host, DingSealedMessage callback)
    {
        var simulator = host.Simulator();
        using var request = simulator.CreateRequest(TestKeys.Path, callback);
        return await simulator.SendAsync(host.Client, request);
    }

    private static DingSealedMessage Sign(string timestamp, string nonce, string payload)
    {
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        var encrypt = crypto.Encrypt(Encoding.UTF8.GetBytes(payload));
        return new DingSealedMessage(crypto.ComputeSignature(timestamp, nonce, encrypt), timestamp, nonce, encrypt);
    }

    [Fact(Timeout = Timeout)]
    public async Task Off_by_default_a_repeated_or_old_request_is_served()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, TestKeys.DefaultSettings());
        var callback = host.Simulator(time: clock).CreateCallback(TestKeys.Event("bpms_instance_change"));

        Assert.True((await SendAsync(host, callback)).IsSuccessReply);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await SendAsync(host, callback)).IsSuccessReply);

        Assert.Equal(2, host.Dispatcher!.HandlerRuns.Count);
        Assert.False(host.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(string.Empty).ReplayGuard.Enabled);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_replayed_request_is_rejected_with_401_and_900112_and_runs_no_handler()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());
        var callback = host.Simulator(time: clock).CreateCallback(TestKeys.Event("bpms_instance_change"));

        var first = await SendAsync(host, callback);
        clock.Advance(TimeSpan.FromMinutes(4));
        var replay = await SendAsync(host, callback);

        Assert.True(first.IsSuccessReply);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.ReplayRejected, IndependentCrypto.ErrorCode(replay.Body));
        Assert.Single(host.Dispatcher!.HandlerRuns);
        var log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "CallbackRejected");
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("900112", log.Message, StringComparison.Ordinal);
        Assert.Contains("already accepted", log.Message, StringComparison.Ordinal);
        var dingGenLogs = string.Join('\n', host.Logs.GetSnapshot().Where(r => r.Category == "DingGen.Callback").Select(r => r.Message));
        Assert.DoesNotContain(callback.Signature, dingGenLogs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.PlaintextMarker, host.AllLogText(), StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(-301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public async Task A_timestamp_outside_the_tolerance_in_either_direction_is_rejected_with_900111(int skewSeconds, bool accepted)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());
        var sender = new FakeTimeProvider(Now.AddSeconds(skewSeconds));
        var callback = host.Simulator(time: sender).CreateCallback(TestKeys.Event("bpms_instance_change"));

        var result = await SendAsync(host, callback);

        if (accepted)
        {
            Assert.True(result.IsSuccessReply);
            Assert.Single(host.Dispatcher!.HandlerRuns);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
            Assert.Equal((int)DingCallbackErrorCode.TimestampRejected, IndependentCrypto.ErrorCode(result.Body));
            Assert.Empty(host.Dispatcher!.HandlerRuns);
            var rejection = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "CallbackRejected").Message;
            Assert.Contains(skewSeconds > 0 ? "in the future" : "old", rejection, StringComparison.Ordinal);
            Assert.Contains("ReplayGuard:TimestampTolerance", rejection, StringComparison.Ordinal);
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("1717034400", true)] // 10 digits: seconds
    [InlineData("1717034400923", true)] // 13 digits: milliseconds
    [InlineData("171703440092", false)] // 12 digits
    [InlineData("17170344009230", false)] // 14 digits
    [InlineData("1717034400.92", false)]
    [InlineData("-717034400923", false)]
    [InlineData("１７１７０３４４００", false)] // full-width digits
    public async Task Timestamps_of_10_or_13_ascii_digits_are_read_anything_else_is_rejected(string timestamp, bool accepted)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());

        var result = await SendAsync(host, Sign(timestamp, "n0nce123", TestKeys.Event("bpms_instance_change")));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal(accepted ? 1 : 0, host.Dispatcher!.HandlerRuns.Count);
        if (!accepted)
        {
            Assert.Equal((int)DingCallbackErrorCode.TimestampRejected, IndependentCrypto.ErrorCode(result.Body));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task A_forged_request_does_not_enter_the_cache_so_the_genuine_one_is_served()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());
        var genuine = host.Simulator(time: clock).CreateCallback(TestKeys.Event("bpms_instance_change"));
        var forged = genuine with { Signature = new string('0', 40) };

        var first = await SendAsync(host, forged);
        var second = await SendAsync(host, genuine);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal((int)DingCryptoErrorCode.ComputeSignatureError, IndependentCrypto.ErrorCode(first.Body));
        Assert.True(second.IsSuccessReply);
        Assert.Equal(1, host.Services.GetRequiredService<DingReplayGuard>().Count(string.Empty));
    }

    [Fact(Timeout = Timeout)]
    public async Task Moving_digits_from_the_timestamp_into_the_nonce_keeps_the_signature_and_is_still_caught()
    {
        // DingTalk's signature joins the sorted strings without separators: "1717034400923" + "5abcdefg" and
        // "1717034400" + "9235abcdefg" sign identically, and both timestamps are within the tolerance.
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());
        DingSealedMessage original;
        do
        {
            original = Sign("1717034400923", "5abcdefg", TestKeys.Event("bpms_instance_change"));
        }
        while (!char.IsAsciiLetter(original.Encrypt[0])); // keep the ciphertext out of the sorted run "timestamp, nonce"

        var resplit = original with { Timestamp = "1717034400", Nonce = "9235abcdefg" };
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        Assert.True(crypto.VerifySignature(resplit.Signature, resplit.Timestamp, resplit.Nonce, resplit.Encrypt));

        var first = await SendAsync(host, original);
        var replay = await SendAsync(host, resplit);

        Assert.True(first.IsSuccessReply);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.ReplayRejected, IndependentCrypto.ErrorCode(replay.Body));
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_request_whose_handler_failed_is_forgotten_so_a_redelivery_with_the_same_nonce_is_served()
    {
        var clock = new FakeTimeProvider(Now);
        var failures = 1;
        var dispatcher = new TestDispatcher("bpms_instance_change")
        {
            Handler = _ => Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("downstream down") : ValueTask.CompletedTask,
        };
        await using var host = await StartAsync(clock, GuardOn(), dispatcher);
        var callback = host.Simulator(time: clock).CreateCallback(TestKeys.Event("bpms_instance_change"));

        var failed = await SendAsync(host, callback);
        clock.Advance(TimeSpan.FromSeconds(10));
        var redelivered = await SendAsync(host, callback);
        clock.Advance(TimeSpan.FromSeconds(30));
        var replayed = await SendAsync(host, callback);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.True(redelivered.IsSuccessReply);
        Assert.Equal((int)DingCallbackErrorCode.ReplayRejected, IndependentCrypto.ErrorCode(replayed.Body));
        Assert.Equal(2, dispatcher.HandlerRuns.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Concurrent_copies_of_one_request_are_served_exactly_once()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn());
        var callback = host.Simulator(time: clock).CreateCallback(TestKeys.Event("bpms_instance_change"));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => SendAsync(host, callback)));

        Assert.Single(results, r => r.IsSuccessReply);
        Assert.Equal(15, results.Count(r => r.StatusCode == HttpStatusCode.Unauthorized && IndependentCrypto.ErrorCode(r.Body) == (int)DingCallbackErrorCode.ReplayRejected));
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }

    [Fact(Timeout = Timeout)]
    public async Task Entries_leave_the_cache_once_their_timestamp_leaves_the_window_and_the_replay_is_then_stale()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn(tolerance: "00:01:00"));
        var guard = host.Services.GetRequiredService<DingReplayGuard>();
        var simulator = host.Simulator(time: clock);
        var old = simulator.CreateCallback(TestKeys.Event("bpms_instance_change"));
        Assert.True((await SendAsync(host, old)).IsSuccessReply);
        Assert.Equal(1, guard.Count(string.Empty));

        clock.Advance(TimeSpan.FromSeconds(61));
        var fresh = await SendAsync(host, simulator.CreateCallback(TestKeys.Event("bpms_instance_change")));
        var stale = await SendAsync(host, old);

        Assert.True(fresh.IsSuccessReply);
        Assert.Equal(1, guard.Count(string.Empty)); // the old entry expired and was dropped when the fresh one arrived
        Assert.Equal((int)DingCallbackErrorCode.TimestampRejected, IndependentCrypto.ErrorCode(stale.Body));
    }

    [Fact]
    public void A_full_cache_drops_the_entry_closest_to_expiry_first_and_warns_once_per_window()
    {
        var clock = new FakeTimeProvider(Now);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var guard = new DingReplayGuard(clock, loggerFactory);
        var options = new DingGenOptions { Token = TestKeys.Token, AesKey = TestKeys.AesKey, AppKey = TestKeys.AppKey };
        options.ReplayGuard.Enabled = true;
        options.ReplayGuard.NonceCacheSize = 1_000;
        var app = new DingCallbackApp(string.Empty, options);
        var nowMs = Now.ToUnixTimeMilliseconds();

        // Request i carries timestamp now - 60 s + i ms: the lower i, the sooner it expires, the sooner it is dropped.
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, Signature(i), Ms(nowMs - 60_000 + i), out _));
        }

        Assert.Empty(logs.GetSnapshot());
        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, Signature(1_000), Ms(nowMs), out _));
        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, Signature(1_001), Ms(nowMs), out _));

        Assert.Equal(1_000, guard.Count(string.Empty));
        Assert.Equal(DingReplayVerdict.Replayed, guard.Check(app, Signature(2), Ms(nowMs - 60_000 + 2), out _));
        Assert.Equal(DingReplayVerdict.Replayed, guard.Check(app, Signature(999), Ms(nowMs - 60_000 + 999), out _));
        Assert.Equal(DingReplayVerdict.Replayed, guard.Check(app, Signature(1_001), Ms(nowMs), out _));
        var warning = Assert.Single(logs.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("ReplayGuard:NonceCacheSize", warning.Message, StringComparison.Ordinal);

        // Requests 0 and 1 were dropped: the trade-off of a bounded cache, which the warning announces.
        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, Signature(0), Ms(nowMs - 60_000), out _));
        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, Signature(1), Ms(nowMs - 60_000 + 1), out _));
        Assert.Single(logs.GetSnapshot());

        static string Signature(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes(i)));
        static string Ms(long ms) => ms.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void With_the_guard_off_nothing_is_remembered()
    {
        var guard = new DingReplayGuard(new FakeTimeProvider(Now), NullLoggerFactory.Instance);
        var app = new DingCallbackApp(string.Empty, new DingGenOptions { Token = TestKeys.Token, AesKey = TestKeys.AesKey, AppKey = TestKeys.AppKey });

        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, new string('a', 40), "not-a-timestamp", out _));
        Assert.Equal(DingReplayVerdict.Accepted, guard.Check(app, new string('a', 40), "not-a-timestamp", out _));
        Assert.Equal(0, guard.Count(string.Empty));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("TimestampTolerance", "00:00:00", "DingGen:ReplayGuard:TimestampTolerance must be between")]
    [InlineData("TimestampTolerance", "2.00:00:00", "DingGen:ReplayGuard:TimestampTolerance must be between")]
    [InlineData("NonceCacheSize", "17", "DingGen:ReplayGuard:NonceCacheSize must be between 1000 and 10000000")]
    public async Task Invalid_replay_guard_settings_fail_start_up_naming_the_setting(string key, string value, string expected)
    {
        var settings = GuardOn();
        settings["DingGen:ReplayGuard:" + key] = value;
        await using var app = CallbackHost.Build(settings, TestDispatcher.Default());
        app.MapDingCallback(TestKeys.Path);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains(exception.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Settings_bind_from_the_ReplayGuard_sub_section()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = await StartAsync(clock, GuardOn(tolerance: "00:02:30", cacheSize: "5000"));

        var options = host.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(string.Empty).ReplayGuard;

        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(150), options.TimestampTolerance);
        Assert.Equal(5000, options.NonceCacheSize);
    }
}
