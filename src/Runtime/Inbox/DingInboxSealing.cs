using System.Globalization;
using System.Security.Cryptography;

namespace DingGen;

/// <summary>
/// Seals a plaintext the way DingTalk seals an HTTP push (AES-256-CBC frame with the owner key, SHA-1 signature over token, timestamp,
/// nonce and ciphertext) with the app's own callback keys, so stream deliveries are stored in the same sealed form as HTTP pushes and no
/// plaintext reaches the disk. Also computes dedup keys.
/// </summary>
internal static class DingInboxSealing
{
    /// <summary>The prefix of a dedup key's event id when the payload carries no id of DingTalk's.</summary>
    public const string HashPrefix = "sha256-";

    /// <summary>Encrypts and signs <paramref name="plaintext"/> with <paramref name="crypto"/>, timestamp = now in milliseconds, a fresh nonce.</summary>
    public static DingSealedEnvelope Seal(DingCallbackCrypto crypto, ReadOnlySpan<byte> plaintext, TimeProvider time)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var nonce = DingCallbackCrypto.CreateNonce(8);
        var encrypt = crypto.Encrypt(plaintext);
        return new DingSealedEnvelope(crypto.ComputeSignature(timestamp, nonce, encrypt), timestamp, nonce, encrypt);
    }

    /// <summary>Verifies and decrypts a sealed envelope; <see cref="DingCryptoErrorCode.None"/> on success.</summary>
    public static DingCryptoErrorCode Open(DingCallbackCrypto crypto, DingSealedEnvelope envelope, out byte[]? plaintext) =>
        crypto.TryDecrypt(envelope.Signature, envelope.Timestamp, envelope.Nonce, envelope.Encrypt, out plaintext);

    /// <summary>
    /// The event id and dedup key of an event: DingTalk's id (<paramref name="stableId"/>) when it has one, else <c>sha256-</c> and the hex
    /// SHA-256 of <paramref name="plaintext"/>; the key is the event type, a colon and the id.
    /// </summary>
    public static (string DedupKey, string EventId) DedupKey(string eventType, string? stableId, ReadOnlySpan<byte> plaintext)
    {
        var eventId = string.IsNullOrEmpty(stableId) ? HashPrefix + HashHex(plaintext) : stableId;
        return (eventType + ":" + eventId, eventId);
    }

    private static string HashHex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }
}
