using System.Text;

namespace DingGen.Runtime.Tests.Crypto;

/// <summary>
/// One crypto instance shares its keyed AES objects between calls: every call starts again from the IV, whatever the call before it
/// decrypted or rejected, on one thread or many.
/// </summary>
public sealed class DecryptorReuseTests
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string OwnerKey = "dingzq4bkl7mxn0ofa2c";

    [Fact]
    public void Messages_of_different_lengths_and_a_rejected_ciphertext_in_between_all_decrypt_on_one_instance()
    {
        var crypto = new DingCallbackCrypto(Token, AesKey, OwnerKey);
        var messages = new[] { "a", new string('x', 100), "{\"EventType\":\"user_add_org\"}", "中文消息", new string('y', 5000) };
        var sealedMessages = messages.Select(m => crypto.Seal(Encoding.UTF8.GetBytes(m), "1717034400123", "n" + m.Length)).ToArray();
        var truncated = sealedMessages[1].Encrypt[..^4];
        var truncatedSignature = crypto.ComputeSignature("1717034400123", "nt", truncated);

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < messages.Length; i++)
            {
                Assert.Equal(DingCryptoErrorCode.None, crypto.Open(sealedMessages[i], out var plaintext));
                Assert.Equal(messages[i], Encoding.UTF8.GetString(plaintext!));
                Assert.NotEqual(DingCryptoErrorCode.None, crypto.TryDecrypt(truncatedSignature, "1717034400123", "nt", truncated, out _));
            }
        }
    }

    [Fact]
    public async Task Concurrent_decryptions_on_one_instance_each_get_their_own_message()
    {
        var crypto = new DingCallbackCrypto(Token, AesKey, OwnerKey);
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var message = $"worker {worker} message {i} " + new string('z', (worker * 37) + (i % 50));
                var sealedMessage = crypto.Seal(Encoding.UTF8.GetBytes(message), "1717034400123", "nonce" + worker);
                Assert.Equal(DingCryptoErrorCode.None, crypto.Open(sealedMessage, out var plaintext));
                Assert.Equal(message, Encoding.UTF8.GetString(plaintext!));
            }
        }));

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
