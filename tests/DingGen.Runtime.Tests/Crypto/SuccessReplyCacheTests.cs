using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Runtime.Tests.Crypto;

/// <summary>
/// The sealed <c>success</c> reply the HTTP endpoint hands out: it opens to <c>success</c> under its own timestamp and nonce with the
/// keys of DingTalk's vectors, one reply serves a second of callbacks, and a new one is sealed when the second has passed.
/// </summary>
public sealed class SuccessReplyCacheTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1717034400123);

    [Fact]
    public void The_reply_opens_to_success_with_the_keys_of_every_positive_vector_and_carries_the_clocks_time()
    {
        var checkedKeys = 0;
        foreach (var v in CryptoVectors.Positive)
        {
            var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
            var reply = Read(crypto.SuccessReplyUtf8Json(new FakeTimeProvider(Now)));

            Assert.Equal("1717034400123", reply.Timestamp);
            Assert.Matches("^[A-Za-z0-9]{8}$", reply.Nonce);
            Assert.Equal(crypto.ComputeSignature(reply.Timestamp, reply.Nonce, reply.Encrypt), reply.Signature);
            Assert.Equal(DingCryptoErrorCode.None, crypto.Open(reply, out var plaintext));
            Assert.Equal("success", Encoding.UTF8.GetString(plaintext!));
            checkedKeys++;
        }

        Assert.True(checkedKeys > 10, $"only {checkedKeys} positive vectors");
    }

    [Fact]
    public void One_reply_is_handed_out_for_a_second_and_then_a_fresh_one_is_sealed()
    {
        var clock = new FakeTimeProvider(Now);
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        var first = crypto.SuccessReplyUtf8Json(clock);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var withinWindow = crypto.SuccessReplyUtf8Json(clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var renewed = crypto.SuccessReplyUtf8Json(clock);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var renewedAgain = crypto.SuccessReplyUtf8Json(clock);

        Assert.Same(first, withinWindow);
        Assert.NotSame(first, renewed);
        Assert.Same(renewed, renewedAgain);

        var old = Read(first);
        var fresh = Read(renewed);
        Assert.Equal("1717034400123", old.Timestamp);
        Assert.Equal("1717034401123", fresh.Timestamp);
        Assert.NotEqual(old.Encrypt, fresh.Encrypt);
        foreach (var reply in new[] { old, fresh })
        {
            Assert.Equal(DingCryptoErrorCode.None, crypto.Open(reply, out var plaintext));
            Assert.Equal("success", Encoding.UTF8.GetString(plaintext!));
        }
    }

    [Fact]
    public void Each_key_set_seals_its_own_reply_which_the_other_keys_do_not_open()
    {
        var clock = new FakeTimeProvider(Now);
        var current = new DingCallbackCrypto("rotatedTok42", "Q9wE3rT5yU7iO1pA2sD4fG6hJ8kL0zX3cV5bN7mQ1w2", "dingzq4bkl7mxn0ofa2c");
        var previous = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        var currentReply = Read(current.SuccessReplyUtf8Json(clock));
        var previousReply = Read(previous.SuccessReplyUtf8Json(clock));

        Assert.Equal(DingCryptoErrorCode.None, current.Open(currentReply, out _));
        Assert.Equal(DingCryptoErrorCode.None, previous.Open(previousReply, out _));
        Assert.NotEqual(DingCryptoErrorCode.None, current.Open(previousReply, out _));
        Assert.NotEqual(DingCryptoErrorCode.None, previous.Open(currentReply, out _));
    }

    [Fact]
    public void A_clock_that_goes_back_gets_a_fresh_reply_rather_than_an_old_one_forever()
    {
        var clock = new BackwardsClock(Now);
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        var first = crypto.SuccessReplyUtf8Json(clock);
        clock.Ticks -= 10;
        var afterStep = crypto.SuccessReplyUtf8Json(clock);

        Assert.NotSame(first, afterStep);
        Assert.Equal(DingCryptoErrorCode.None, crypto.Open(Read(afterStep), out _));
    }

    private static DingSealedMessage Read(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(["msg_signature", "timeStamp", "nonce", "encrypt"], root.EnumerateObject().Select(p => p.Name));
        return new DingSealedMessage(
            root.GetProperty("msg_signature").GetString()!, root.GetProperty("timeStamp").GetString()!, root.GetProperty("nonce").GetString()!, root.GetProperty("encrypt").GetString()!);
    }

    /// <summary>A clock whose timestamp can be stepped back (FakeTimeProvider only moves forward).</summary>
    private sealed class BackwardsClock(DateTimeOffset now) : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
