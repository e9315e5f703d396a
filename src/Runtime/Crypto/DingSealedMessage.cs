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
        ReplyWriter.WriteReply(writer, Signature, Timestamp, Nonce, Encrypt);
    }

    /// <summary>The reply body (<see cref="WriteReplyTo"/>) as UTF-8 JSON.</summary>
    public byte[] ToReplyUtf8Json() => ReplyWriter.Write(Signature, Timestamp, Nonce, Encrypt);

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

/// <summary>
/// Writes the small JSON bodies of the callback path (the sealed reply, the error answers) through one <see cref="Utf8JsonWriter"/> and
/// buffer per thread, so that a body costs exactly its returned array. The methods are synchronous, so a thread's writer is never shared.
/// </summary>
internal static class ReplyWriter
{
    private const int MaxRetainedBytes = 32 * 1024;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The reply body <c>{"msg_signature","timeStamp","nonce","encrypt"}</c>.</summary>
    public static byte[] Write(ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt)
    {
        var writer = Rent(out var buffer);
        WriteReply(writer, signature, timestamp, nonce, encrypt);
        return Finish(writer, buffer);
    }

    /// <summary>An error body <c>{"errcode":…,"errmsg":"…"}</c>.</summary>
    public static byte[] WriteError(int errorCode, string message)
    {
        var writer = Rent(out var buffer);
        writer.WriteStartObject();
        writer.WriteNumber("errcode"u8, errorCode);
        writer.WriteString("errmsg"u8, message);
        writer.WriteEndObject();
        return Finish(writer, buffer);
    }

    public static void WriteReply(Utf8JsonWriter writer, ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt)
    {
        writer.WriteStartObject();
        writer.WriteString("msg_signature"u8, signature);
        writer.WriteString("timeStamp"u8, timestamp);
        writer.WriteString("nonce"u8, nonce);
        writer.WriteString("encrypt"u8, encrypt);
        writer.WriteEndObject();
    }

    private static Utf8JsonWriter Rent(out System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        return writer;
    }

    private static byte[] Finish(Utf8JsonWriter writer, System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        var body = buffer.WrittenSpan.ToArray();

        // Utf8JsonWriter asks for at least 4 KB at a time, so the buffer settles at a few KB (the old per-reply ArrayBufferWriter
        // allocated that much for every reply); only a body made large by a huge query value is not kept on the thread.
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return body;
    }
}
