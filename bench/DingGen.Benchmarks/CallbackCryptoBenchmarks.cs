using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace DingGen.Benchmarks;

/// <summary>
/// The crypto of one DingTalk callback against a "floor": the same BCL primitives called bare on pre-sized buffers.
/// <list type="bullet">
/// <item><c>Decrypt</c>: verify the signature and decrypt a 200 B, 1 KB or 4 KB event. The floor hashes the
/// pre-concatenated, pre-sorted signature bytes with SHA-1, decodes the Base64 into a preallocated buffer and
/// AES-CBC-decrypts into another.</item>
/// <item><c>Reply</c>: encrypt and sign the <c>success</c> reply. The floor AES-CBC-encrypts a pre-built frame,
/// Base64-encodes it into a preallocated buffer and SHA-1-hashes pre-concatenated signature bytes.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project bench/DingGen.Benchmarks -- --filter '*CallbackCrypto*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class CallbackCryptoBenchmarks
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string OwnerKey = "dingzq4bkl7mxn0ofa2c";
    private const string Timestamp = "1717034400123";
    private const string Nonce = "bR4kWm9Z";

    private DingCallbackCrypto _crypto = null!;
    private string _encrypt = null!;
    private string _signature = null!;

    // Floor state: everything pre-sized and pre-computed, so only the primitives are timed.
    private Aes _aes = null!;
    private byte[] _iv = null!;
    private byte[] _signatureInput = null!;
    private char[] _encryptChars = null!;
    private byte[] _cipher = null!;
    private byte[] _plain = null!;
    private byte[] _replyFrame = null!;
    private byte[] _replyCipher = null!;
    private char[] _replyBase64 = null!;
    private byte[] _replySignatureInput = null!;
    private byte[] _hash = null!;

    /// <summary>Size of the event's JSON in bytes.</summary>
    [Params(200, 1024, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _crypto = new DingCallbackCrypto(Token, AesKey, OwnerKey);
        var message = CreateEvent(Size);
        _encrypt = _crypto.Encrypt(message);
        _signature = _crypto.ComputeSignature(Timestamp, Nonce, _encrypt);

        var key = Convert.FromBase64String(AesKey + "=");
        _aes = Aes.Create();
        _aes.Key = key;
        _iv = key[..16];
        _signatureInput = SortedConcat(Token, Timestamp, Nonce, _encrypt);
        _encryptChars = _encrypt.ToCharArray();
        _cipher = new byte[Convert.FromBase64String(_encrypt).Length];
        _plain = new byte[_cipher.Length];
        _hash = new byte[SHA1.HashSizeInBytes];

        // The success reply frame: random16 | length | "success" | ownerKey | padding to 32 bytes.
        var frameLength = 16 + 4 + 7 + OwnerKey.Length;
        var padding = 32 - (frameLength % 32);
        _replyFrame = new byte[frameLength + padding];
        RandomNumberGenerator.Fill(_replyFrame.AsSpan(0, 16));
        _replyFrame[19] = 7;
        "success"u8.CopyTo(_replyFrame.AsSpan(20));
        Encoding.UTF8.GetBytes(OwnerKey, _replyFrame.AsSpan(27));
        _replyFrame.AsSpan(frameLength).Fill((byte)padding);
        _replyCipher = new byte[_replyFrame.Length];
        _replyBase64 = new char[Base64Length(_replyCipher.Length)];
        _replySignatureInput = SortedConcat(Token, Timestamp, Nonce, _crypto.Encrypt("success"u8));

        if (_crypto.TryDecrypt(_signature, Timestamp, Nonce, _encrypt, out var plaintext) != DingCryptoErrorCode.None
            || !plaintext.AsSpan().SequenceEqual(message))
        {
            throw new InvalidOperationException("setup does not round-trip");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decrypt")]
    public int DecryptFloor()
    {
        SHA1.HashData(_signatureInput, _hash);
        Convert.TryFromBase64Chars(_encryptChars, _cipher, out var cipherLength);
        return _aes.DecryptCbc(_cipher.AsSpan(0, cipherLength), _iv, _plain, PaddingMode.None);
    }

    [Benchmark]
    [BenchmarkCategory("Decrypt")]
    public byte[]? VerifyAndDecrypt()
    {
        _crypto.TryDecrypt(_signature, Timestamp, Nonce, _encrypt, out var plaintext);
        return plaintext;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Reply")]
    public int ReplyFloor()
    {
        _aes.EncryptCbc(_replyFrame, _iv, _replyCipher, PaddingMode.None);
        Convert.TryToBase64Chars(_replyCipher, _replyBase64, out var written);
        SHA1.HashData(_replySignatureInput, _hash);
        return written;
    }

    [Benchmark]
    [BenchmarkCategory("Reply")]
    public DingSealedMessage SuccessReply() => _crypto.CreateSuccessReply(Timestamp, Nonce);

    private static int Base64Length(int bytes) => (bytes + 2) / 3 * 4;

    private static byte[] SortedConcat(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
        return Encoding.UTF8.GetBytes(string.Concat(parts));
    }

    /// <summary>An approval event of exactly <paramref name="size"/> UTF-8 bytes.</summary>
    private static byte[] CreateEvent(int size)
    {
        var head = "{\"EventType\":\"bpms_instance_change\",\"processInstanceId\":\"a171de6c-8bf2-4f5e-b1a8-54c3d1c1f2a9\",\"corpId\":\"dingzq4bkl7mxn0ofa2c\",\"title\":\"审批\",\"remark\":\"";
        var builder = new StringBuilder(head);
        while (Encoding.UTF8.GetByteCount(builder.ToString()) + 2 < size)
        {
            builder.Append((char)('a' + (builder.Length % 26)));
        }

        builder.Append("\"}");
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        return bytes.Length == size ? bytes : throw new InvalidOperationException($"event is {bytes.Length} bytes, not {size}");
    }
}
