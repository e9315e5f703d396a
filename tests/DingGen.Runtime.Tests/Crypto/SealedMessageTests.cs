using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Runtime.Tests.Crypto;

/// <summary>The one sealed-message type: DingTalk's own vectors open with it, and what it seals opens again, nothing else.</summary>
public sealed class SealedMessageTests
{
    [Fact]
    public void Every_positive_vector_opens_as_a_sealed_message()
    {
        var opened = 0;
        foreach (var v in CryptoVectors.Positive)
        {
            var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
            var message = new DingSealedMessage(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"));

            Assert.Equal(DingCryptoErrorCode.None, crypto.Open(message, out var plaintext));
            Assert.Equal(v.Text("plaintext"), Encoding.UTF8.GetString(plaintext!));
            opened++;
        }

        Assert.True(opened > 10, $"only {opened} positive vectors");
    }

    [Theory]
    [InlineData("1717034400123", "bR4kWm9Z")]
    [InlineData("17170<34>&'+", "n\"o\\n\u00e9\u4e2d")]
    [InlineData("1", "x")]
    public void The_reply_written_without_strings_is_byte_for_byte_the_sealed_messages_reply(string timestamp, string nonce)
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        for (var i = 0; i < 50; i++)
        {
            var body = crypto.CreateSuccessReplyUtf8Json(timestamp, nonce);

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var reply = new DingSealedMessage(
                root.GetProperty("msg_signature").GetString()!, root.GetProperty("timeStamp").GetString()!, root.GetProperty("nonce").GetString()!, root.GetProperty("encrypt").GetString()!);
            Assert.Equal(["msg_signature", "timeStamp", "nonce", "encrypt"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(timestamp, reply.Timestamp);
            Assert.Equal(nonce, reply.Nonce);
            Assert.Equal(DingCryptoErrorCode.None, crypto.Open(reply, out var plaintext));
            Assert.Equal("success", Encoding.UTF8.GetString(plaintext!));
            Assert.Equal(reply.ToReplyUtf8Json(), body);
        }
    }

    [Fact]
    public void An_error_body_and_a_reply_after_a_huge_one_are_unaffected_by_the_writer_reused_on_the_thread()
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");
        var huge = new string('7', 100_000);

        var large = crypto.CreateSuccessReplyUtf8Json(huge, "n1");
        var error = ReplyWriter.WriteError(900006, "the signature does not match");
        var small = crypto.CreateSuccessReplyUtf8Json("1717034400123", "n2");

        Assert.Equal(huge, JsonDocument.Parse(large).RootElement.GetProperty("timeStamp").GetString());
        Assert.Equal("""{"errcode":900006,"errmsg":"the signature does not match"}""", Encoding.UTF8.GetString(error));
        Assert.Equal("n2", JsonDocument.Parse(small).RootElement.GetProperty("nonce").GetString());
    }

    [Fact]
    public void Seal_then_open_round_trips_with_a_fresh_millisecond_timestamp_and_an_8_character_nonce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1717034400123));
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        var first = crypto.Seal("""{"EventType":"user_add_org"}"""u8, time);
        var second = crypto.Seal("""{"EventType":"user_add_org"}"""u8, time);

        Assert.Equal("1717034400123", first.Timestamp);
        Assert.Matches("^[A-Za-z0-9]{8}$", first.Nonce);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Encrypt, second.Encrypt);
        Assert.Equal(crypto.ComputeSignature(first.Timestamp, first.Nonce, first.Encrypt), first.Signature);
        Assert.Equal(DingCryptoErrorCode.None, crypto.Open(first, out var plaintext));
        Assert.Equal("""{"EventType":"user_add_org"}""", Encoding.UTF8.GetString(plaintext!));
    }

    [Fact]
    public void A_tampered_or_foreign_message_does_not_open_and_says_why()
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");
        var other = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingotherowner");
        var message = crypto.Seal("success"u8, "1717034400123", "nonce123");

        Assert.Equal(DingCryptoErrorCode.ComputeSignatureError, crypto.Open(message with { Timestamp = "1717034400124" }, out var none));
        Assert.Null(none);
        Assert.Equal(DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError, other.Open(message, out _));
        Assert.Throws<DingCryptoException>(() => crypto.Seal("x"u8, string.Empty, "nonce123"));
        Assert.Throws<DingCryptoException>(() => crypto.Seal("x"u8, "1", string.Empty));
    }

    [Fact]
    public void The_reply_and_the_callback_body_carry_exactly_the_members_DingTalk_reads()
    {
        var message = new DingSealedMessage("sig", "1717034400123", "nonce123", "ab+/=");

        using var reply = JsonDocument.Parse(message.ToReplyJson());
        Assert.Equal(["msg_signature", "timeStamp", "nonce", "encrypt"], reply.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.All(reply.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("ab+/=", reply.RootElement.GetProperty("encrypt").GetString());

        using var body = JsonDocument.Parse(message.ToCallbackBodyJson());
        Assert.Equal("ab+/=", Assert.Single(body.RootElement.EnumerateObject(), p => p.Name == "encrypt").Value.GetString());
    }
}
