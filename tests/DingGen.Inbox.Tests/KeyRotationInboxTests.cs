using System.Text;
using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>
/// Inbox entries stored before a key rotation are still delivered after it: the worker opens an entry with the current keys and,
/// while <c>PreviousKeysUntil</c> has not passed, with the previous keys.
/// </summary>
public sealed class KeyRotationInboxTests : IDisposable
{
    private const string NewToken = "rotatedTok42";
    private const string NewAesKey = "Q9wE3rT5yU7iO1pA2sD4fG6hJ8kL0zX3cV5bN7mQ1w2";

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);

    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly FakeTimeProvider _time = new(T0);

    public KeyRotationInboxTests()
    {
        _db = _dir.File("inbox.db");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Stores one pending entry per (event id, keys) pair, as a host running with those keys would have.</summary>
    private async Task SeedAsync(params (string EventId, string Token, string AesKey)[] entries)
    {
        using var inbox = new SqliteDingInbox(_db);
        foreach (var (eventId, token, aesKey) in entries)
        {
            var crypto = new DingCallbackCrypto(token, aesKey, TestKeys.AppKey);
            await inbox.AddAsync(new DingInboxEntry
            {
                AppName = "",
                EventType = "user_add_org",
                DedupKey = "user_add_org:" + eventId,
                EventId = eventId,
                CorpId = "dingcorp0001",
                ReceivedAt = T0,
                Envelope = crypto.Seal(Encoding.UTF8.GetBytes(TestKeys.Event("user_add_org", eventId)), _time),
            });
        }
    }

    private Task<CallbackHost> StartRotatedAsync(TestDispatcher dispatcher, string until)
    {
        var settings = InboxHost.Settings(_db);
        settings["DingGen:Token"] = NewToken;
        settings["DingGen:AesKey"] = NewAesKey;
        settings["DingGen:PreviousToken"] = TestKeys.Token;
        settings["DingGen:PreviousAesKey"] = TestKeys.AesKey;
        settings["DingGen:PreviousKeysUntil"] = until;
        return CallbackHost.StartAsync(
            settings,
            dispatcher,
            configureServices: builder =>
            {
                builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseSqliteInbox();
                builder.Services.AddSingleton<TimeProvider>(_time);
            },
            addDefaultApp: false);
    }

    private async Task AdvanceUntilAsync(Func<Task<bool>> condition, string what)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (await condition())
            {
                return true;
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            return false;
        }, what, timeoutMs: 30_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Entries_sealed_with_the_previous_or_the_current_keys_are_delivered_during_the_window()
    {
        await SeedAsync(("evt-before", TestKeys.Token, TestKeys.AesKey), ("evt-after", NewToken, NewAesKey));
        var dispatcher = TestDispatcher.Default();
        await using var host = await StartRotatedAsync(dispatcher, "2024-05-30T03:00:00Z");

        await AdvanceUntilAsync(async () => (await host.AllAsync()).All(static r => r.State == DingInboxState.Done), "both entries done");

        Assert.Equal(["evt-after", "evt-before"], dispatcher.HandlerRuns.Select(static r => r.EventId).Order(StringComparer.Ordinal));
        Assert.All(await host.AllAsync(), static r => Assert.Null(r.LastError));
    }

    [Fact(Timeout = 60_000)]
    public async Task After_the_window_an_entry_sealed_with_the_previous_keys_fails_with_a_hint_and_runs_no_handler()
    {
        await SeedAsync(("evt-before", TestKeys.Token, TestKeys.AesKey), ("evt-after", NewToken, NewAesKey));
        var dispatcher = TestDispatcher.Default();
        await using var host = await StartRotatedAsync(dispatcher, "2024-05-30T02:00:00Z"); // == T0: already closed

        await AdvanceUntilAsync(
            async () => (await host.AllAsync()).Any(static r => r.Entry.EventId == "evt-before" && r.LastError is not null)
                && (await host.AllAsync()).Any(static r => r.Entry.EventId == "evt-after" && r.State == DingInboxState.Done),
            "the old entry failed and the new one done");

        var old = (await host.AllAsync()).Single(static r => r.Entry.EventId == "evt-before");
        Assert.NotEqual(DingInboxState.Done, old.State);
        Assert.Contains("does not open with the app's current Token/AesKey/owner key", old.LastError, StringComparison.Ordinal);
        Assert.Contains("PreviousKeysUntil", old.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.AesKey, old.LastError, StringComparison.Ordinal);
        Assert.Equal(["evt-after"], dispatcher.HandlerRuns.Select(static r => r.EventId));
    }
}
