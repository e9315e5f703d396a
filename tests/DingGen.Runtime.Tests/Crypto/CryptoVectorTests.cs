using System.Text;

namespace DingGen.Runtime.Tests.Crypto;

public sealed class CryptoVectorTests
{
    [Theory]
    [MemberData(nameof(CryptoVectors.PositiveIds), MemberType = typeof(CryptoVectors))]
    public void Positive_vector_verifies_and_decrypts_to_the_exact_plaintext(string id)
    {
        var v = CryptoVectors.PositiveById(id);
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));

        Assert.True(crypto.VerifySignature(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt")));
        var plaintext = crypto.Decrypt(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"));

        Assert.Equal(Encoding.UTF8.GetBytes(v.Text("plaintext")), plaintext);
        Assert.Equal(v.GetProperty("plaintextUtf8Bytes").GetInt32(), plaintext.Length);
    }

    [Theory]
    [MemberData(nameof(CryptoVectors.PositiveIds), MemberType = typeof(CryptoVectors))]
    public void Positive_vector_re_encrypts_byte_for_byte_with_the_recorded_random(string id)
    {
        var v = CryptoVectors.PositiveById(id);
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));

        var encrypt = crypto.Encrypt(Encoding.UTF8.GetBytes(v.Text("plaintext")), Encoding.UTF8.GetBytes(v.Text("random")));

        Assert.Equal(v.Text("encrypt"), encrypt);
        Assert.Equal(v.Text("signature"), crypto.ComputeSignature(v.Text("timestamp"), v.Text("nonce"), encrypt));
    }

    [Theory]
    [MemberData(nameof(CryptoVectors.NegativeIds), MemberType = typeof(CryptoVectors))]
    public void Negative_vector_fails_with_an_acceptable_code(string id)
    {
        var v = CryptoVectors.NegativeById(id);
        var acceptable = v.GetProperty("acceptableErrorCodes").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var error = Record.Exception(() =>
        {
            var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
            crypto.Decrypt(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"));
        });

        var cryptoError = Assert.IsType<DingCryptoException>(error);
        Assert.Contains(cryptoError.ErrorCode, acceptable);
        Assert.DoesNotContain(v.Text("token"), cryptoError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(v.Text("aesKey"), cryptoError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(v.Text("ownerKey"), cryptoError.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CryptoVectors.NegativeIds), MemberType = typeof(CryptoVectors))]
    public void Negative_vector_fails_without_throwing_through_TryDecrypt(string id)
    {
        var v = CryptoVectors.NegativeById(id);
        if (v.Text("errorStage") == "aesKey")
        {
            return; // construction errors are covered by the throwing test above
        }

        var acceptable = v.GetProperty("acceptableErrorCodes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));

        var code = crypto.TryDecrypt(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"), out var plaintext);

        Assert.Contains((int)code, acceptable);
        Assert.Null(plaintext);
    }
}
