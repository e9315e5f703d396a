using System.Text;
using DingGen.Inbox.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests;

/// <summary>
/// The intake hands the plaintext it verified and decrypted to this process's worker, which then does not open the stored envelope
/// again; a record the hand-over does not match exactly, or an entry this process did not store, is opened from its envelope.
/// </summary>
public sealed class OpenedMessagesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1717034400000));

    public void Dispose() => _dir.Dispose();

    private static DingInboxEntry Entry(string eventId, string? nonce = null, string? timestamp = null, string? dedupKey = null)
    {
        var entry = InboxContractTests.Entry(eventId);
        return new DingInboxEntry
        {
            AppName = entry.AppName,
            EventType = entry.EventType,
            DedupKey = dedupKey ?? entry.DedupKey,
            EventId = entry.EventId,
            CorpId = entry.CorpId,
            ReceivedAt = entry.ReceivedAt,
            Envelope = new DingSealedMessage(entry.Envelope.Signature, timestamp ?? entry.Envelope.Timestamp, nonce ?? entry.Envelope.Nonce, entry.Envelope.Encrypt),
        };
    }

    private static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    [Fact]
    public void A_plaintext_is_taken_once_by_the_record_of_the_same_sealed_message()
    {
        var opened = new DingInboxOpenedMessages();
        Assert.True(opened.Put(Entry("e1"), Text("one")));
        Assert.False(opened.Put(Entry("e1"), Text("again")));

        Assert.True(opened.TryTake(Entry("e1"), out var plaintext));
        Assert.Equal("one", Encoding.UTF8.GetString(plaintext));
        Assert.False(opened.TryTake(Entry("e1"), out _));
        Assert.Equal(0, opened.Count);
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("timestamp")]
    [InlineData("dedupKey")]
    public void A_record_that_shares_the_signature_but_not_the_message_gets_nothing_and_the_plaintext_is_dropped(string differs)
    {
        var opened = new DingInboxOpenedMessages();
        opened.Put(Entry("e1"), Text("one"));

        var other = differs switch
        {
            "nonce" => Entry("e1", nonce: "other-nonce"),
            "timestamp" => Entry("e1", timestamp: "1717034499999"),
            _ => Entry("e1", dedupKey: "user_add_org:other"),
        };
        Assert.False(opened.TryTake(other, out var plaintext));
        Assert.Null(plaintext);
        Assert.Equal(0, opened.Count);
    }

    [Fact]
    public void Removed_plaintexts_are_gone_and_the_bytes_held_stay_within_the_bound()
    {
        var opened = new DingInboxOpenedMessages(maxBytes: 1_000);
        opened.Put(Entry("kept"), new byte[100]);
        opened.Remove(Entry("kept"));
        Assert.False(opened.TryTake(Entry("kept"), out _));

        // 100 entries of 100 bytes into a bound of 1,000: at most two generations of 500 bytes are held, the newest ones.
        for (var i = 0; i < 100; i++)
        {
            opened.Put(Entry("e" + i), new byte[100]);
        }

        Assert.InRange(opened.Count, 5, 10);
        Assert.True(opened.TryTake(Entry("e99"), out _));
        Assert.False(opened.TryTake(Entry("e0"), out _));

        // One plaintext larger than half the bound is never held.
        Assert.False(opened.Put(Entry("huge"), new byte[501]));
    }

    /// <summary>The SQLite inbox, but every claimed record's ciphertext is unreadable: only a worker that does not open it can deliver.</summary>
    private sealed class UnreadableClaimsInbox(Sqlite.SqliteDingInbox inner) : DelegatingInbox(inner)
    {
        public new Sqlite.SqliteDingInbox Inner => (Sqlite.SqliteDingInbox)base.Inner;

        public override async ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            [.. (await base.ClaimAsync(maxCount, now, leaseDuration, cancellationToken)).Select(static r => new DingInboxRecord
            {
                Id = r.Id,
                State = r.State,
                Attempts = r.Attempts,
                NextAttemptAt = r.NextAttemptAt,
                LeasedUntil = r.LeasedUntil,
                Entry = new DingInboxEntry
                {
                    AppName = r.Entry.AppName,
                    Channel = r.Entry.Channel,
                    EventType = r.Entry.EventType,
                    DedupKey = r.Entry.DedupKey,
                    EventId = r.Entry.EventId,
                    CorpId = r.Entry.CorpId,
                    ReceivedAt = r.Entry.ReceivedAt,
                    Envelope = r.Entry.Envelope with { Encrypt = "AAAA" + r.Entry.Envelope.Encrypt[4..] },
                },
            })];
    }

    [Fact(Timeout = 60_000)]
    public async Task The_worker_delivers_what_the_intake_opened_and_opens_the_envelope_of_an_entry_it_did_not_receive()
    {
        var dispatcher = TestDispatcher.Default();
        using var sqlite = new Sqlite.SqliteDingInbox(_dir.File("inbox.db"));
        var inbox = new UnreadableClaimsInbox(sqlite);
        await using var host = await InboxHost.StartWithStoreAsync(inbox, inbox.Inner.Path, dispatcher, _time);

        // Received by this host: delivered from the hand-over, although the claimed copy's ciphertext no longer decrypts.
        Assert.True((await host.Simulator(time: _time).PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org", "received"))).IsSuccessReply);
        await Eventually.TrueAsync(async () => (await sqlite.ListAsync(DingInboxState.Done, 10)).Count == 1, "the received entry done");
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal("received", run.EventId);

        // Stored by someone else (another replica, an earlier process): this worker must open it, and the unreadable copy fails.
        var crypto = new DingCallbackCrypto(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        await sqlite.AddAsync(new DingInboxEntry
        {
            AppName = "",
            EventType = "user_add_org",
            DedupKey = "user_add_org:elsewhere",
            EventId = "elsewhere",
            CorpId = "dingcorp0001",
            ReceivedAt = _time.GetUtcNow(),
            Envelope = crypto.Seal(Encoding.UTF8.GetBytes(TestKeys.Event("user_add_org", "elsewhere")), _time),
        });
        host.Services.GetRequiredService<DingInboxSignal>().Notify();
        await Eventually.TrueAsync(
            async () => (await sqlite.ListAsync(null, 10)).Any(static r => r.Entry.EventId == "elsewhere" && r.LastError is not null),
            "the entry from elsewhere failed to open");
        Assert.Contains("does not open", (await sqlite.ListAsync(null, 10)).Single(static r => r.Entry.EventId == "elsewhere").LastError, StringComparison.Ordinal);
        Assert.Single(dispatcher.HandlerRuns);
    }
}
