using System.Security.Cryptography;

namespace DingGen;

/// <summary>
/// The inbox's dedup keys: one event, one key, whatever channel brought it (sealing itself is
/// <see cref="DingCallbackCrypto.Seal(ReadOnlySpan{byte}, TimeProvider)"/>).
/// </summary>
internal static class DingInboxDedup
{
    /// <summary>The prefix of a dedup key's event id when the payload carries no id of DingTalk's.</summary>
    public const string HashPrefix = "sha256-";

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
