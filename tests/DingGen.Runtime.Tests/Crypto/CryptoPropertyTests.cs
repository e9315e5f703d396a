using System.Text;
using System.Text.Json;
using CsCheck;

namespace DingGen.Runtime.Tests.Crypto;

/// <summary>
/// Property tests of <see cref="DingCallbackCrypto"/>: random keys, tokens, owner keys and messages round-trip,
/// and any single-bit change of a signed input is rejected. Iteration counts keep the file to a few seconds.
/// </summary>
public sealed class CryptoPropertyTests
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Any 43 characters of [A-Za-z0-9] are a valid EncodingAESKey, whatever the unused low bits of the last one.</summary>
    private static readonly Gen<string> AesKeyGen = Gen.String[Gen.Char[Alphanumeric], DingCallbackCrypto.AesKeyLength, DingCallbackCrypto.AesKeyLength];

    /// <summary>Tokens and owner keys: mostly printable ASCII, sometimes CJK (no surrogates, so UTF-8 is exact).</summary>
    private static readonly Gen<string> SecretGen = Gen.OneOf(
        Gen.String[Gen.Char['\u0020', '\u007e'], 1, 64],
        Gen.String[Gen.Char['\u0020', '\u9fff'], 1, 32]);

    private static readonly Gen<string> TimestampGen = Gen.Long[1_000_000_000_000, 9_999_999_999_999].Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<string> NonceGen = Gen.String[Gen.Char[Alphanumeric], 1, 16];

    /// <summary>Message sizes 0..64 KiB, weighted towards the small sizes real events have.</summary>
    private static readonly Gen<byte[]> MessageGen = Gen.OneOf(
        Gen.Byte.Array[0, 64],
        Gen.Byte.Array[0, 4096],
        Gen.Byte.Array[0, 64 * 1024]);

    private static readonly Gen<SignedCallback> CallbackGen =
        Gen.Select(AesKeyGen, SecretGen, SecretGen, TimestampGen, NonceGen, Gen.Byte.Array[0, 600])
            .Select(static (aesKey, token, ownerKey, timestamp, nonce, message) => SignedCallback.Create(token, aesKey, ownerKey, timestamp, nonce, message));

    [Fact]
    public void Random_messages_keys_tokens_and_owner_keys_round_trip()
    {
        Gen.Select(AesKeyGen, SecretGen, SecretGen, TimestampGen, NonceGen, MessageGen)
            .Sample(static (aesKey, token, ownerKey, timestamp, nonce, message) =>
            {
                var crypto = new DingCallbackCrypto(token, aesKey, ownerKey);
                var reply = crypto.Seal(message, timestamp, nonce);

                var code = crypto.TryDecrypt(reply.Signature, reply.Timestamp, reply.Nonce, reply.Encrypt, out var plaintext);

                Assert.Equal(DingCryptoErrorCode.None, code);
                Assert.Equal(message, plaintext);
                Assert.Equal(0, Convert.FromBase64String(reply.Encrypt).Length % 32);
            }, iter: 150);
    }

    [Fact]
    public void Any_single_bit_change_of_the_encrypt_text_is_rejected()
    {
        Gen.Select(CallbackGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 15])
            .Sample(static (callback, position, bit) =>
            {
                var encrypt = FlipCharBit(callback.Encrypt, position % callback.Encrypt.Length, bit);
                AssertRejected(callback, callback.Signature, callback.Timestamp, callback.Nonce, encrypt);
            }, iter: 400);
    }

    [Fact]
    public void Any_single_bit_change_of_the_ciphertext_bytes_is_rejected()
    {
        Gen.Select(CallbackGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 7])
            .Sample(static (callback, position, bit) =>
            {
                var cipher = Convert.FromBase64String(callback.Encrypt);
                cipher[position % cipher.Length] ^= (byte)(1 << bit);
                AssertRejected(callback, callback.Signature, callback.Timestamp, callback.Nonce, Convert.ToBase64String(cipher));
            }, iter: 400);
    }

    [Fact]
    public void Any_single_bit_change_of_the_signature_is_rejected()
    {
        Gen.Select(CallbackGen, Gen.Int[0, DingCallbackCrypto.SignatureLength - 1], Gen.Int[0, 15])
            .Sample(static (callback, position, bit) =>
            {
                var signature = FlipCharBit(callback.Signature, position, bit);
                AssertRejected(callback, signature, callback.Timestamp, callback.Nonce, callback.Encrypt);
            }, iter: 400);
    }

    [Fact]
    public void Any_single_bit_change_of_the_timestamp_is_rejected()
    {
        Gen.Select(CallbackGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 15])
            .Sample(static (callback, position, bit) =>
            {
                var timestamp = FlipCharBit(callback.Timestamp, position % callback.Timestamp.Length, bit);
                AssertRejected(callback, callback.Signature, timestamp, callback.Nonce, callback.Encrypt);
            }, iter: 400);
    }

    [Fact]
    public void Any_single_bit_change_of_the_nonce_is_rejected()
    {
        Gen.Select(CallbackGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 15])
            .Sample(static (callback, position, bit) =>
            {
                var nonce = FlipCharBit(callback.Nonce, position % callback.Nonce.Length, bit);
                AssertRejected(callback, callback.Signature, callback.Timestamp, nonce, callback.Encrypt);
            }, iter: 400);
    }

    [Fact]
    public void Re_signed_arbitrary_ciphertext_never_throws_and_never_returns_a_half_result()
    {
        // Whoever holds the token can sign anything: the decrypt path must then fail cleanly, never throw.
        Gen.Select(CallbackGen, Gen.Byte.Array[0, 200], Gen.Bool)
            .Sample(static (callback, bytes, aligned) =>
            {
                var cipher = aligned ? bytes.AsSpan(0, bytes.Length / 16 * 16).ToArray() : bytes;
                var encrypt = Convert.ToBase64String(cipher);
                var signature = callback.Crypto.ComputeSignature(callback.Timestamp, callback.Nonce, encrypt);

                var code = callback.Crypto.TryDecrypt(signature, callback.Timestamp, callback.Nonce, encrypt, out var plaintext);

                Assert.Equal(code == DingCryptoErrorCode.None, plaintext is not null);
                Assert.True(code is DingCryptoErrorCode.None or DingCryptoErrorCode.ComputeDecryptTextError
                    or DingCryptoErrorCode.ComputeDecryptTextLengthError or DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError, $"unexpected code {code}");
            }, iter: 400);
    }

    [Fact]
    public void Constructor_rejects_a_42_character_key_with_900004_without_echoing_it()
    {
        const string key = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tL";
        Assert.Equal(42, key.Length);

        var error = Assert.Throws<DingCryptoException>(() => new DingCallbackCrypto("token", key, "dingowner"));

        Assert.Equal(DingCryptoErrorCode.AesKeyIllegal, error.Code);
        Assert.Equal(900004, error.ErrorCode);
        Assert.Contains("AesKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tL*")]
    [InlineData("hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5t-_")]
    [InlineData("hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tL=")]
    [InlineData("hDAEYqL62pBum9BIy2ewA5s02K vdiP4TLqi58G5tLS")]
    [InlineData("中DAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS")]
    public void Constructor_rejects_a_non_Base64_43_character_key_with_900004_without_echoing_it(string key)
    {
        Assert.Equal(43, key.Length);
        Assert.False(DingCallbackCrypto.IsValidAesKey(key));

        var error = Assert.Throws<DingCryptoException>(() => new DingCallbackCrypto("token", key, "dingowner"));

        Assert.Equal(900004, error.ErrorCode);
        Assert.Contains("AesKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Constructor_rejects_an_empty_token_naming_Token(string? token)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new DingCallbackCrypto(token!, "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingowner"));

        Assert.Equal("token", error.ParamName);
        Assert.Contains("Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upper_case_signature_is_rejected_with_900006()
    {
        var v = CryptoVectors.Positive.First(p => p.Text("signature").Any(char.IsAsciiLetterLower));
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
        Assert.Equal(DingCryptoErrorCode.None, crypto.TryDecrypt(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"), out _));

        var code = crypto.TryDecrypt(v.Text("signature").ToUpperInvariant(), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"), out var plaintext);

        Assert.Equal(DingCryptoErrorCode.ComputeSignatureError, code);
        Assert.Equal(900006, (int)code);
        Assert.Null(plaintext);
    }

    [Theory]
    [InlineData("2C6f0f57d8586470b2f23298438b8b7ffb55ce49")]
    [InlineData("2c6f0f57d8586470b2f23298438b8b7ffb55ce49 ")]
    [InlineData(" 2c6f0f57d8586470b2f23298438b8b7ffb55ce4")]
    [InlineData("2c6f0f57d8586470b2f23298438b8b7ffb55ce4")]
    [InlineData("2c6f0f57d8586470b2f23298438b8b7ffb55ce4g")]
    [InlineData("２c6f0f57d8586470b2f23298438b8b7ffb55ce49")]
    [InlineData("")]
    public void Signature_that_is_not_the_exact_lowercase_hex_is_rejected_with_900006(string signature)
    {
        var v = CryptoVectors.PositiveById("s-pos-001");
        Assert.Equal("2c6f0f57d8586470b2f23298438b8b7ffb55ce49", v.Text("signature"));
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));

        Assert.False(crypto.VerifySignature(signature, v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt")));
        Assert.Equal(DingCryptoErrorCode.ComputeSignatureError, crypto.TryDecrypt(signature, v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"), out var plaintext));
        Assert.Null(plaintext);
    }

    [Fact]
    public void Success_reply_decrypts_to_success_and_its_JSON_has_exactly_the_four_string_members()
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");

        var reply = crypto.CreateSuccessReply("1717034400123", "bR4kWm9Z");

        using var json = JsonDocument.Parse(reply.ToReplyUtf8Json());
        var members = json.RootElement.EnumerateObject().ToArray();
        Assert.Equal(["msg_signature", "timeStamp", "nonce", "encrypt"], members.Select(m => m.Name));
        Assert.All(members, m => Assert.Equal(JsonValueKind.String, m.Value.ValueKind));
        Assert.Equal("1717034400123", json.RootElement.GetProperty("timeStamp").GetString());
        Assert.Equal("bR4kWm9Z", json.RootElement.GetProperty("nonce").GetString());

        var plaintext = crypto.Decrypt(
            json.RootElement.GetProperty("msg_signature").GetString()!,
            json.RootElement.GetProperty("timeStamp").GetString()!,
            json.RootElement.GetProperty("nonce").GetString()!,
            json.RootElement.GetProperty("encrypt").GetString()!);
        Assert.Equal("success"u8.ToArray(), plaintext);
    }

    [Fact]
    public void One_instance_encrypts_and_decrypts_correctly_from_many_threads()
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var message = Encoding.UTF8.GetBytes($"{{\"EventType\":\"check_url\",\"i\":{i},\"pad\":\"{new string('x', i % 700)}\"}}");
            var nonce = DingCallbackCrypto.CreateNonce();
            var reply = crypto.Seal(message, "1717034400123", nonce);
            var code = crypto.TryDecrypt(reply.Signature, reply.Timestamp, reply.Nonce, reply.Encrypt, out var plaintext);
            if (code != DingCryptoErrorCode.None || !message.AsSpan().SequenceEqual(plaintext))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Base64_wrapped_every_76_characters_is_accepted_once_re_signed()
    {
        // DingTalk's Python 3 port emits Base64 with a newline every 76 characters; the Java class accepts it.
        var v = CryptoVectors.Positive.First(p => p.Text("encrypt").Length > 200);
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
        var encrypt = string.Join('\n', v.Text("encrypt").Chunk(76).Select(c => new string(c))) + "\n";
        var signature = crypto.ComputeSignature(v.Text("timestamp"), v.Text("nonce"), encrypt);

        var code = crypto.TryDecrypt(signature, v.Text("timestamp"), v.Text("nonce"), encrypt, out var plaintext);

        Assert.Equal(DingCryptoErrorCode.None, code);
        Assert.Equal(Encoding.UTF8.GetBytes(v.Text("plaintext")), plaintext);
    }

    [Theory]
    [InlineData("O4RBKCL05uGmk7E+tIShmAhkok5DbO0T55CwirxNTDI8+9+50Q/25D7N9BidICqhTVzPFO9SZ7GwKbS6DgAOlg", DingCryptoErrorCode.ComputeDecryptTextError)]
    [InlineData("O4RBKCL05uGmk7E-tIShmAhkok5DbO0T55CwirxNTDI8+9+50Q/25D7N9BidICqhTVzPFO9SZ7GwKbS6DgAOlg==", DingCryptoErrorCode.ComputeDecryptTextError)]
    [InlineData("O4RBKCL05uGmk7E+tIShmAhkok5DbO0T55CwirxNTDI8+9+50Q/25D7N9BidICqhTVzPFO9SZ7Gw中S6DgAOlg==", DingCryptoErrorCode.ComputeDecryptTextError)]
    [InlineData("", DingCryptoErrorCode.ComputeDecryptTextLengthError)]
    [InlineData("    ", DingCryptoErrorCode.ComputeDecryptTextLengthError)]
    public void Malformed_Base64_that_is_validly_signed_fails_cleanly(string encrypt, DingCryptoErrorCode expected)
    {
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");
        var signature = crypto.ComputeSignature("1717034400123", "bR4kWm9Z", encrypt);

        var code = crypto.TryDecrypt(signature, "1717034400123", "bR4kWm9Z", encrypt, out var plaintext);

        Assert.Equal(expected, code);
        Assert.Null(plaintext);
    }

    [Fact]
    public void Random_prefixes_are_16_letters_and_digits_and_differ_between_calls()
    {
        const string aesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
        var crypto = new DingCallbackCrypto("Tk7vQ2mR9x", aesKey, "dingzq4bkl7mxn0ofa2c");
        var key = Convert.FromBase64String(aesKey + "=");
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var prefixes = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 200; i++)
        {
            var frame = aes.DecryptCbc(Convert.FromBase64String(crypto.Encrypt("success"u8)), key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);
            var prefix = Encoding.ASCII.GetString(frame, 0, 16);
            Assert.Matches("^[A-Za-z0-9]{16}$", prefix);
            Assert.True(prefixes.Add(prefix), "a random prefix repeated");
        }
    }

    [Fact]
    public void Long_signature_inputs_use_pooled_buffers_and_still_verify()
    {
        var crypto = new DingCallbackCrypto(new string('t', 300), "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS", "dingzq4bkl7mxn0ofa2c");
        var timestamp = new string('1', 200);
        var nonce = "非ASCII的随机数" + new string('n', 100);
        var reply = crypto.Seal(new byte[100_000], timestamp, nonce);

        Assert.Equal(DingCryptoErrorCode.None, crypto.TryDecrypt(reply.Signature, timestamp, nonce, reply.Encrypt, out var plaintext));
        Assert.Equal(new byte[100_000], plaintext);
    }

    private static void AssertRejected(SignedCallback callback, string signature, string timestamp, string nonce, string encrypt)
    {
        var code = callback.Crypto.TryDecrypt(signature, timestamp, nonce, encrypt, out var plaintext);

        Assert.NotEqual(DingCryptoErrorCode.None, code);
        Assert.Equal(DingCryptoErrorCode.ComputeSignatureError, code);
        Assert.Null(plaintext);
    }

    private static string FlipCharBit(string text, int index, int bit)
    {
        var chars = text.ToCharArray();
        chars[index] = (char)(chars[index] ^ (1 << bit));
        return new string(chars);
    }

    /// <summary>A correctly signed callback and the crypto that made it.</summary>
    private sealed record SignedCallback(DingCallbackCrypto Crypto, string Timestamp, string Nonce, string Encrypt, string Signature)
    {
        public static SignedCallback Create(string token, string aesKey, string ownerKey, string timestamp, string nonce, byte[] message)
        {
            var crypto = new DingCallbackCrypto(token, aesKey, ownerKey);
            var encrypt = crypto.Encrypt(message);
            var callback = new SignedCallback(crypto, timestamp, nonce, encrypt, crypto.ComputeSignature(timestamp, nonce, encrypt));
            Assert.Equal(DingCryptoErrorCode.None, crypto.TryDecrypt(callback.Signature, timestamp, nonce, encrypt, out _));
            return callback;
        }

        public override string ToString() => $"ts={Timestamp} nonce={Nonce} encrypt={Encrypt} signature={Signature}";
    }
}
