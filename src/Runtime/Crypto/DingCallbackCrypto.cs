using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DingGen;

/// <summary>
/// DingTalk callback crypto, exact to DingTalk's own <c>DingCallbackCrypto</c> reference class:
/// AES-256-CBC with key = Base64(aesKey + "="), IV = the first 16 bytes of the key, the frame
/// <c>random16 | big-endian u32 length | message | ownerKey</c> padded PKCS#7-style to 32-byte blocks,
/// and a lowercase hex SHA-1 signature over the ordinal sort of token, timestamp, nonce and encrypt.
/// </summary>
/// <remarks>
/// <para>
/// The <b>owner key</b> is the identity DingTalk writes inside every ciphertext, and it depends on how the
/// callback was subscribed: the app's <b>AppKey</b> for events subscribed in the developer console; the
/// enterprise <b>CorpId</b> (<c>ding…</c>) for callbacks registered with the old <c>call_back/register_call_back</c>
/// API; the <b>SuiteKey</b> for third-party (ISV) apps, or the placeholder <c>suite4xxxxxxxxxxxxxxx</c> while a
/// suite is being created; the <b>customKey</b> for customised apps.
/// </para>
/// <para>
/// Decryption always verifies the signature first, in constant time, and only then touches the ciphertext:
/// there is no API that decrypts unverified input. Every failure is a <see cref="DingCryptoErrorCode"/>
/// (DingTalk's numeric code); no message contains a key, token, owner key or plaintext.
/// </para>
/// <para>Instances are immutable and thread-safe; create one per DingTalk app and share it.</para>
/// </remarks>
public sealed class DingCallbackCrypto
{
    /// <summary>Length of a DingTalk EncodingAESKey: 43 Base64 characters (32 bytes without the trailing <c>=</c>).</summary>
    public const int AesKeyLength = 43;

    /// <summary>Length of the random prefix of every plaintext frame.</summary>
    public const int RandomPrefixLength = 16;

    /// <summary>Length of a signature: 40 lowercase hex characters.</summary>
    public const int SignatureLength = 40;

    private const int PaddingBlockSize = 32;
    private const int FrameHeaderLength = RandomPrefixLength + 4;
    private const int StackallocThreshold = 512;
    private const int RandomPoolSize = 1024;
    private const int MaxCharsForEstimate = 1 << 24;

    private static ReadOnlySpan<byte> RandomAlphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8;

    private static readonly byte[] SuccessUtf8 = "success"u8.ToArray();

    private readonly string _token;
    private readonly bool _tokenIsAscii;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _ownerKeyUtf8;
    // One AES object per slot, keyed once: concurrent callbacks on different threads each find one instead of creating (and keying)
    // a new object whenever two overlap, as a single cached object forced.
    private readonly Aes?[] _aesCache = new Aes?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    // The sealed success reply handed out until SuccessReplyLifetime has passed (see SuccessReplyUtf8Json); replaced, never mutated.
    private SealedSuccessReply? _successReply;

    [ThreadStatic]
    private static byte[]? t_randomPool;

    [ThreadStatic]
    private static int t_randomPoolOffset;

    /// <summary>Creates the crypto for one DingTalk app.</summary>
    /// <param name="token">The callback <c>Token</c> (signature secret). Any non-empty string.</param>
    /// <param name="aesKey">The callback <c>AesKey</c> (EncodingAESKey): 43 Base64 characters.</param>
    /// <param name="ownerKey">The key DingTalk writes inside the ciphertext: AppKey, CorpId, SuiteKey or customKey (see remarks).</param>
    /// <exception cref="ArgumentException"><paramref name="token"/> or <paramref name="ownerKey"/> is null or empty.</exception>
    /// <exception cref="DingCryptoException"><paramref name="aesKey"/> is not 43 Base64 characters (900004).</exception>
    public DingCallbackCrypto(string token, string aesKey, string ownerKey)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException("The DingTalk callback Token is empty; set it to the token configured for the callback.", nameof(token));
        }

        if (string.IsNullOrEmpty(ownerKey))
        {
            throw new ArgumentException("The DingTalk owner key is empty; set it to the AppKey, CorpId or SuiteKey the callback was subscribed with.", nameof(ownerKey));
        }

        _key = DecodeAesKey(aesKey);
        _iv = _key.AsSpan(0, 16).ToArray();
        _token = token;
        _tokenIsAscii = Ascii.IsValid(token);
        OwnerKey = ownerKey;
        _ownerKeyUtf8 = Encoding.UTF8.GetBytes(ownerKey);
    }

    /// <summary>The owner key this instance encrypts with and expects inside every ciphertext.</summary>
    public string OwnerKey { get; }

    /// <summary>Whether <paramref name="aesKey"/> is a valid EncodingAESKey: 43 Base64 characters.</summary>
    public static bool IsValidAesKey(string? aesKey)
    {
        if (aesKey is null || aesKey.Length != AesKeyLength)
        {
            return false;
        }

        Span<char> padded = stackalloc char[AesKeyLength + 1];
        aesKey.AsSpan().CopyTo(padded);
        padded[AesKeyLength] = '=';
        Span<byte> key = stackalloc byte[33];
        return Convert.TryFromBase64Chars(padded, key, out var written) && written == 32;
    }

    /// <summary>
    /// Computes the signature DingTalk expects over <paramref name="timestamp"/>, <paramref name="nonce"/>,
    /// <paramref name="encrypt"/> and the token: lowercase hex SHA-1 of the four strings sorted ordinally and joined.
    /// </summary>
    public string ComputeSignature(string timestamp, string nonce, string encrypt)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(encrypt);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        ComputeSignatureHash(timestamp, nonce, encrypt, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks <paramref name="signature"/> against the token, timestamp, nonce and encrypt value in constant time.
    /// The signature must be lowercase hex, as DingTalk's reference code compares it exactly.
    /// </summary>
    public bool VerifySignature(ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt)
    {
        Span<byte> provided = stackalloc byte[SHA1.HashSizeInBytes];
        if (!TryParseSignature(signature, provided))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA1.HashSizeInBytes];
        ComputeSignatureHash(timestamp, nonce, encrypt, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    /// <summary>
    /// Verifies the signature and, only if it matches, decrypts <paramref name="encrypt"/> and checks the owner key.
    /// </summary>
    /// <returns>The message as UTF-8 bytes.</returns>
    /// <exception cref="DingCryptoException">The signature does not match (900006), the ciphertext is malformed (900008, 900009) or the owner key differs (900010).</exception>
    public byte[] Decrypt(string signature, string timestamp, string nonce, string encrypt)
    {
        var code = TryDecrypt(signature, timestamp, nonce, encrypt, out var plaintext);
        return code == DingCryptoErrorCode.None ? plaintext! : throw new DingCryptoException(code);
    }

    /// <summary>
    /// Verifies the signature and, only if it matches, decrypts <paramref name="encrypt"/> and checks the owner key,
    /// without throwing for bad input.
    /// </summary>
    /// <param name="signature">The request's <c>signature</c> / <c>msg_signature</c> query value.</param>
    /// <param name="timestamp">The request's <c>timestamp</c> query value, exactly as received.</param>
    /// <param name="nonce">The request's <c>nonce</c> query value, exactly as received.</param>
    /// <param name="encrypt">The <c>encrypt</c> member of the request body.</param>
    /// <param name="plaintext">The message as UTF-8 bytes when the result is <see cref="DingCryptoErrorCode.None"/>.</param>
    /// <returns><see cref="DingCryptoErrorCode.None"/> on success, else the code DingTalk's reference class reports.</returns>
    public DingCryptoErrorCode TryDecrypt(ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt, out byte[]? plaintext)
    {
        plaintext = null;
        Span<byte> provided = stackalloc byte[SHA1.HashSizeInBytes];
        if (!TryParseSignature(signature, provided))
        {
            return DingCryptoErrorCode.ComputeSignatureError;
        }

        // The UTF-8 signature input also holds encrypt's bytes, which the Base64 fast path then decodes from.
        var capacity = SignatureInputCapacity(timestamp, nonce, encrypt);
        byte[]? rented = null;
        var buffer = capacity <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            var written = WriteSignatureInput(timestamp, nonce, encrypt, buffer, out var encryptStart, out var encryptLength);
            Span<byte> expected = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(buffer.Slice(0, written), expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, provided))
            {
                return DingCryptoErrorCode.ComputeSignatureError;
            }

            return DecryptVerified(encrypt, buffer.Slice(encryptStart, encryptLength), out plaintext);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Encrypts <paramref name="message"/> into a DingTalk <c>encrypt</c> value with a fresh random prefix
    /// of 16 letters and digits from a cryptographic source.
    /// </summary>
    public string Encrypt(ReadOnlySpan<byte> message)
    {
        Span<byte> random = stackalloc byte[RandomPrefixLength];
        FillRandomPrefix(random);
        return Encrypt(message, random);
    }

    /// <summary>
    /// Encrypts <paramref name="message"/> with the given 16-byte random prefix. Meant for tests that must
    /// reproduce a known ciphertext byte for byte; production code uses <see cref="Encrypt(ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="randomPrefix"/> is not 16 bytes.</exception>
    public string Encrypt(ReadOnlySpan<byte> message, ReadOnlySpan<byte> randomPrefix)
    {
        if (randomPrefix.Length != RandomPrefixLength)
        {
            throw new ArgumentException("The random prefix must be exactly 16 bytes.", nameof(randomPrefix));
        }

        var length = EncryptedLength(message.Length);
        char[]? rented = null;
        var base64 = length <= StackallocThreshold
            ? stackalloc char[StackallocThreshold]
            : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = EncryptTo(message, randomPrefix, base64);
            return new string(base64.Slice(0, written));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The length of the Base64 <c>encrypt</c> value of a message of <paramref name="messageLength"/> bytes.</summary>
    private int EncryptedLength(int messageLength)
    {
        var frameLength = FrameHeaderLength + messageLength + _ownerKeyUtf8.Length;
        var total = frameLength + PaddingBlockSize - (frameLength % PaddingBlockSize);
        return ((total + 2) / 3) * 4;
    }

    /// <summary>Encrypts <paramref name="message"/> and writes the Base64 <c>encrypt</c> value to <paramref name="destination"/>
    /// (at least <see cref="EncryptedLength"/> characters); returns the characters written.</summary>
    private int EncryptTo(ReadOnlySpan<byte> message, ReadOnlySpan<byte> randomPrefix, Span<char> destination)
    {
        var frameLength = FrameHeaderLength + message.Length + _ownerKeyUtf8.Length;
        var padding = PaddingBlockSize - (frameLength % PaddingBlockSize);
        var total = frameLength + padding;

        // One buffer holds the plaintext frame and then the ciphertext; small replies stay on the stack.
        byte[]? rented = null;
        var buffer = 2 * total <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(2 * total));
        var frame = buffer.Slice(0, total);
        var cipher = buffer.Slice(total, total);
        try
        {
            randomPrefix.CopyTo(frame);
            BinaryPrimitives.WriteUInt32BigEndian(frame.Slice(RandomPrefixLength, 4), (uint)message.Length);
            message.CopyTo(frame.Slice(FrameHeaderLength));
            _ownerKeyUtf8.CopyTo(frame.Slice(FrameHeaderLength + message.Length));
            frame.Slice(frameLength).Fill((byte)padding);

            var aes = RentAes();
            try
            {
                aes.EncryptCbc(frame, _iv, cipher, PaddingMode.None);
            }
            catch (CryptographicException)
            {
                throw new DingCryptoException(DingCryptoErrorCode.ComputeEncryptTextError);
            }
            finally
            {
                ReturnAes(aes);
            }

            return Convert.TryToBase64Chars(cipher, destination, out var written)
                ? written
                : throw new ArgumentException("The destination is too small for the encrypted value.", nameof(destination));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(frame);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Encrypts <paramref name="message"/> and signs it with <paramref name="timestamp"/> and <paramref name="nonce"/>: the one seal
    /// operation behind the reply, the inbox's sealed entries and the simulator's callbacks.
    /// </summary>
    /// <exception cref="DingCryptoException"><paramref name="timestamp"/> (900002) or <paramref name="nonce"/> (900003) is empty.</exception>
    public DingSealedMessage Seal(ReadOnlySpan<byte> message, string timestamp, string nonce)
    {
        if (string.IsNullOrEmpty(timestamp))
        {
            throw new DingCryptoException(DingCryptoErrorCode.EncryptionTimestampIllegal);
        }

        if (string.IsNullOrEmpty(nonce))
        {
            throw new DingCryptoException(DingCryptoErrorCode.EncryptionNonceIllegal);
        }

        var encrypt = Encrypt(message);
        return new DingSealedMessage(ComputeSignature(timestamp, nonce, encrypt), timestamp, nonce, encrypt);
    }

    /// <summary>
    /// Seals <paramref name="message"/> with a fresh timestamp (Unix milliseconds from <paramref name="time"/>, as DingTalk sends) and
    /// a fresh 8-character nonce.
    /// </summary>
    public DingSealedMessage Seal(ReadOnlySpan<byte> message, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Seal(message, timestamp, CreateNonce(8));
    }

    /// <summary>
    /// Opens <paramref name="message"/>: signature first (constant time), then decryption and the owner-key check; the counterpart of
    /// <see cref="Seal(ReadOnlySpan{byte}, string, string)"/>. Never throws for bad input.
    /// </summary>
    /// <returns><see cref="DingCryptoErrorCode.None"/> with the plaintext, or the DingTalk error code of the first check that failed.</returns>
    public DingCryptoErrorCode Open(DingSealedMessage message, out byte[]? plaintext)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TryDecrypt(message.Signature, message.Timestamp, message.Nonce, message.Encrypt, out plaintext);
    }

    /// <summary>The reply DingTalk expects for every accepted callback: the string <c>success</c>, sealed with the callback's timestamp and nonce.</summary>
    public DingSealedMessage CreateSuccessReply(string timestamp, string nonce) => Seal(SuccessUtf8, timestamp, nonce);

    /// <summary>
    /// The body of <see cref="CreateSuccessReply"/> as UTF-8 JSON, byte for byte what <see cref="DingSealedMessage.ToReplyUtf8Json"/>
    /// writes, without the sealed message's strings: the ciphertext and signature stay on the stack and the JSON goes through a
    /// per-thread writer; the only allocation is the returned array.
    /// </summary>
    internal byte[] CreateSuccessReplyUtf8Json(string timestamp, string nonce)
    {
        if (string.IsNullOrEmpty(timestamp))
        {
            throw new DingCryptoException(DingCryptoErrorCode.EncryptionTimestampIllegal);
        }

        if (string.IsNullOrEmpty(nonce))
        {
            throw new DingCryptoException(DingCryptoErrorCode.EncryptionNonceIllegal);
        }

        Span<byte> random = stackalloc byte[RandomPrefixLength];
        FillRandomPrefix(random);
        var length = EncryptedLength(SuccessUtf8.Length);
        char[]? rented = null;
        var encrypt = length <= StackallocThreshold
            ? stackalloc char[StackallocThreshold]
            : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            encrypt = encrypt.Slice(0, EncryptTo(SuccessUtf8, random, encrypt));
            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            ComputeSignatureHash(timestamp, nonce, encrypt, hash);
            Span<char> signature = stackalloc char[SignatureLength];
            Convert.TryToHexStringLower(hash, signature, out _);
            return ReplyWriter.Write(signature, timestamp, nonce, encrypt);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The body of a sealed <c>success</c> reply for any callback this crypto opened, reused for <see cref="SuccessReplyLifetime"/>
    /// (measured with <paramref name="time"/>'s monotonic timestamp) and then sealed afresh with a new timestamp (Unix milliseconds)
    /// and a new random nonce and prefix.
    /// </summary>
    /// <remarks>
    /// DingTalk only decrypts the reply, checks its signature against the reply's own <c>timeStamp</c> and <c>nonce</c> and reads
    /// <c>success</c> (protocol spec §1.8, §2.2): neither has to echo the callback's, so one sealed reply serves every callback of the
    /// window. The cache belongs to this instance, so each key set (current, previous during a rotation, suite placeholder) answers
    /// with its own reply. Lock-free: a volatile read on the hot path; threads that see an expired reply at the same moment may each
    /// seal one, and the last one written wins. The returned array is shared and must not be modified.
    /// </remarks>
    internal byte[] SuccessReplyUtf8Json(TimeProvider time)
    {
        var now = time.GetTimestamp();
        var cached = Volatile.Read(ref _successReply);
        if (cached is not null && cached.TimeProvider == time)
        {
            var age = time.GetElapsedTime(cached.SealedAt, now);
            if (age >= TimeSpan.Zero && age < SuccessReplyLifetime)
            {
                return cached.Json;
            }
        }

        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = CreateSuccessReplyUtf8Json(timestamp, CreateNonce(8));
        Volatile.Write(ref _successReply, new SealedSuccessReply(json, now, time));
        return json;
    }

    /// <summary>How long <see cref="SuccessReplyUtf8Json"/> hands out the same sealed reply: one second.</summary>
    internal static readonly TimeSpan SuccessReplyLifetime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Generates a nonce for a reply: <paramref name="length"/> letters and digits from a cryptographic source.
    /// </summary>
    public static string CreateNonce(int length = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
    }

    private void ComputeSignatureHash(ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt, Span<byte> destination)
    {
        var capacity = SignatureInputCapacity(timestamp, nonce, encrypt);
        byte[]? rented = null;
        var buffer = capacity <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            var written = WriteSignatureInput(timestamp, nonce, encrypt, buffer, out _, out _);
            SHA1.HashData(buffer.Slice(0, written), destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// An upper bound of the UTF-8 length of the four signature inputs: exact for ASCII (what DingTalk sends, checked
    /// with a vectorised scan), else the UTF-8 worst case, so typical callbacks fit the stack buffer.
    /// </summary>
    private int SignatureInputCapacity(ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt)
    {
        var chars = (long)_token.Length + timestamp.Length + nonce.Length + encrypt.Length;
        if (chars <= MaxCharsForEstimate)
        {
            return _tokenIsAscii && Ascii.IsValid(timestamp) && Ascii.IsValid(nonce) && Ascii.IsValid(encrypt)
                ? (int)chars
                : Encoding.UTF8.GetMaxByteCount((int)chars);
        }

        return checked(Encoding.UTF8.GetByteCount(_token) + Encoding.UTF8.GetByteCount(timestamp)
            + Encoding.UTF8.GetByteCount(nonce) + Encoding.UTF8.GetByteCount(encrypt));
    }

    /// <summary>
    /// Writes the UTF-8 bytes of token, timestamp, nonce and encrypt, sorted ordinally by their UTF-16 code units as
    /// DingTalk's Java code sorts with <c>Arrays.sort</c>, and says where encrypt's bytes landed.
    /// </summary>
    private int WriteSignatureInput(ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt, Span<byte> destination, out int encryptStart, out int encryptLength)
    {
        var parts = new SignatureParts(_token, timestamp, nonce, encrypt);
        Span<int> order = stackalloc int[4] { 0, 1, 2, 3 };
        for (var i = 1; i < 4; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && parts[order[j]].SequenceCompareTo(parts[current]) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }

        encryptStart = 0;
        encryptLength = 0;
        var written = 0;
        for (var i = 0; i < 4; i++)
        {
            var count = Encoding.UTF8.GetBytes(parts[order[i]], destination.Slice(written));
            if (order[i] == SignatureParts.EncryptIndex)
            {
                encryptStart = written;
                encryptLength = count;
            }

            written += count;
        }

        return written;
    }

    /// <summary>
    /// Decodes a signature that is exactly 40 lowercase hex characters (DingTalk's reference code compares the hex
    /// text exactly, so upper case is a mismatch). Comparing the 20 decoded bytes in constant time is equivalent to
    /// comparing the hex text, and the signature's own format is not secret.
    /// </summary>
    private static bool TryParseSignature(ReadOnlySpan<char> signature, Span<byte> destination)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        for (var i = 0; i < SHA1.HashSizeInBytes; i++)
        {
            var high = LowerHexValue(signature[2 * i]);
            var low = LowerHexValue(signature[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int LowerHexValue(char c) =>
        (uint)(c - '0') <= 9 ? c - '0' : (uint)(c - 'a') <= 5 ? c - 'a' + 10 : -1;

    /// <summary>Decrypts a verified <c>encrypt</c> value; <paramref name="encryptUtf8"/> is the same text as UTF-8.</summary>
    private DingCryptoErrorCode DecryptVerified(ReadOnlySpan<char> encrypt, ReadOnlySpan<byte> encryptUtf8, out byte[]? plaintext)
    {
        plaintext = null;
        var maxCipherLength = ((Math.Max(encrypt.Length, encryptUtf8.Length) + 3) / 4) * 3;
        if (maxCipherLength == 0)
        {
            return DingCryptoErrorCode.ComputeDecryptTextLengthError;
        }

        // One buffer: the ciphertext first, then the plaintext frame.
        var buffer = ArrayPool<byte>.Shared.Rent(2 * maxCipherLength);
        var plainLength = 0;
        try
        {
            var cipherBuffer = buffer.AsSpan(0, maxCipherLength);

            // The vectorised UTF-8 decoder handles canonical Base64; anything else (whitespace, …) goes through
            // Convert, which is what decides validity.
            if (Base64.DecodeFromUtf8(encryptUtf8, cipherBuffer, out _, out var cipherLength) != OperationStatus.Done
                && !Convert.TryFromBase64Chars(encrypt, cipherBuffer, out cipherLength))
            {
                return DingCryptoErrorCode.ComputeDecryptTextError;
            }

            if (cipherLength == 0)
            {
                return DingCryptoErrorCode.ComputeDecryptTextLengthError;
            }

            if (cipherLength % 16 != 0)
            {
                return DingCryptoErrorCode.ComputeDecryptTextError;
            }

            plainLength = cipherLength;
            var plainBuffer = buffer.AsSpan(maxCipherLength, plainLength);
            int decrypted;
            var aes = RentAes();
            try
            {
                decrypted = aes.DecryptCbc(cipherBuffer.Slice(0, cipherLength), _iv, plainBuffer, PaddingMode.None);
            }
            catch (CryptographicException)
            {
                return DingCryptoErrorCode.ComputeDecryptTextError;
            }
            finally
            {
                ReturnAes(aes);
            }

            ReadOnlySpan<byte> frame = plainBuffer.Slice(0, decrypted);

            // DingTalk's reference code reads only the last byte: 1..32 drops that many bytes, anything else drops nothing.
            int pad = frame[^1];
            if (pad is >= 1 and <= PaddingBlockSize)
            {
                if (pad > frame.Length)
                {
                    return DingCryptoErrorCode.ComputeDecryptTextLengthError;
                }

                frame = frame.Slice(0, frame.Length - pad);
            }

            if (frame.Length < FrameHeaderLength)
            {
                return DingCryptoErrorCode.ComputeDecryptTextLengthError;
            }

            var messageLength = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(RandomPrefixLength, 4));
            if (messageLength > (uint)(frame.Length - FrameHeaderLength))
            {
                return DingCryptoErrorCode.ComputeDecryptTextLengthError;
            }

            var message = frame.Slice(FrameHeaderLength, (int)messageLength);
            var owner = frame.Slice(FrameHeaderLength + (int)messageLength);
            if (!owner.SequenceEqual(_ownerKeyUtf8))
            {
                return DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError;
            }

            plaintext = message.ToArray();
            return DingCryptoErrorCode.None;
        }
        finally
        {
            // Only the plaintext half can hold anything secret.
            CryptographicOperations.ZeroMemory(buffer.AsSpan(maxCipherLength, plainLength));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with letters and digits, uniformly, from a per-thread pool of
    /// cryptographically random bytes: one call to the system generator serves many replies.
    /// </summary>
    private static void FillRandomPrefix(Span<byte> destination)
    {
        var pool = t_randomPool ??= new byte[RandomPoolSize];
        var offset = t_randomPoolOffset;
        for (var filled = 0; filled < destination.Length;)
        {
            if (offset == 0)
            {
                RandomNumberGenerator.Fill(pool);
                offset = pool.Length;
            }

            var b = pool[--offset];
            pool[offset] = 0;

            // 248 = 4 * 62: bytes below it map uniformly onto the 62 characters; the rest are skipped.
            if (b < 248)
            {
                destination[filled++] = RandomAlphabet[b % RandomAlphabet.Length];
            }
        }

        t_randomPoolOffset = offset;
    }

    private static byte[] DecodeAesKey(string? aesKey)
    {
        if (aesKey is null || aesKey.Length != AesKeyLength)
        {
            throw new DingCryptoException(DingCryptoErrorCode.AesKeyIllegal, "The DingTalk callback AesKey must be exactly 43 characters (900004).");
        }

        Span<char> padded = stackalloc char[AesKeyLength + 1];
        aesKey.AsSpan().CopyTo(padded);
        padded[AesKeyLength] = '=';
        var key = new byte[33];
        if (!Convert.TryFromBase64Chars(padded, key, out var written) || written != 32)
        {
            throw new DingCryptoException(DingCryptoErrorCode.AesKeyIllegal, "The DingTalk callback AesKey is not valid Base64 (900004).");
        }

        return key.AsSpan(0, 32).ToArray();
    }

    private Aes RentAes()
    {
        var start = (uint)Environment.CurrentManagedThreadId;
        for (var i = 0u; i < (uint)_aesCache.Length; i++)
        {
            if (Interlocked.Exchange(ref _aesCache[(start + i) % (uint)_aesCache.Length], null) is { } cached)
            {
                return cached;
            }
        }

        var aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    private void ReturnAes(Aes aes)
    {
        var start = (uint)Environment.CurrentManagedThreadId;
        for (var i = 0u; i < (uint)_aesCache.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _aesCache[(start + i) % (uint)_aesCache.Length], aes, null) is null)
            {
                return;
            }
        }

        aes.Dispose();
    }

    private sealed record SealedSuccessReply(byte[] Json, long SealedAt, TimeProvider TimeProvider);

    private readonly ref struct SignatureParts(ReadOnlySpan<char> token, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt)
    {
        private readonly ReadOnlySpan<char> _token = token;
        private readonly ReadOnlySpan<char> _timestamp = timestamp;
        private readonly ReadOnlySpan<char> _nonce = nonce;
        private readonly ReadOnlySpan<char> _encrypt = encrypt;

        public const int EncryptIndex = 3;

        public ReadOnlySpan<char> this[int index] => index switch
        {
            0 => _token,
            1 => _timestamp,
            2 => _nonce,
            _ => _encrypt,
        };
    }
}
