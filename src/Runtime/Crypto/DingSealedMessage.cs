using System.Text.Json;

namespace DingGen;

/// <summary>
/// A message sealed with an app's keys the way DingTalk seals callbacks: the AES ciphertext <see cref="Encrypt"/> and the SHA-1
/// <see cref="Signature"/> over Token, <see cref="Timestamp"/>, <see cref="Nonce"/> and the ciphertext. It is the one shape of
/// every sealed thing in DingGen: the body of DingTalk's callback (with its query values), the encrypted <c>success</c> reply, and an
/// entry at rest in the durable inbox.
/// </summary>
/// <remarks>
/// Made by <see cref="DingCallbackCrypto.Seal(ReadOnlySpan{byte}, string, string)"/> (or the <see cref="TimeProvider"/> overload, which
/// takes a fresh timestamp and nonce) and opened by <see cref="DingCallbackCrypto.Open(DingSealedMessage, out byte[])"/>, which checks
/// the signature first, in constant time, then decrypts and checks the owner key.
/// </remarks>
/// <param name="Signature">Hex SHA-1 of the sorted Token, timestamp, nonce and ciphertext (<c>msg_signature</c> / <c>signature</c>).</param>
/// <param name="Timestamp">The timestamp signed with it (<c>timeStamp</c>).</param>
/// <param name="Nonce">The nonce signed with it.</param>
/// <param name="Encrypt">The Base64 AES-256-CBC ciphertext.</param>
public sealed record DingSealedMessage(string Signature, string Timestamp, string Nonce, string Encrypt)
{
    /// <summary>Writes the reply body DingTalk expects: <c>{"msg_signature","timeStamp","nonce","encrypt"}</c>, all strings.</summary>
    public void WriteReplyTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("msg_signature"u8, Signature);
        writer.WriteString("timeStamp"u8, Timestamp);
        writer.WriteString("nonce"u8, Nonce);
        writer.WriteString("encrypt"u8, Encrypt);
        writer.WriteEndObject();
    }

    /// <summary>The reply body (<see cref="WriteReplyTo"/>) as UTF-8 JSON.</summary>
    public byte[] ToReplyUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteReplyTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The reply body (<see cref="WriteReplyTo"/>) as a string.</summary>
    public string ToReplyJson() => System.Text.Encoding.UTF8.GetString(ToReplyUtf8Json());

    /// <summary>The body DingTalk posts to a callback URL: <c>{"encrypt":"…"}</c> (the other three values travel in the query).</summary>
    public string ToCallbackBodyJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Encrypt.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("encrypt"u8, Encrypt);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
