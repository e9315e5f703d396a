using System.Text.Json;

namespace DingGen;

/// <summary>
/// The JSON body a callback receiver returns to DingTalk:
/// <c>{"msg_signature":"…","timeStamp":"…","nonce":"…","encrypt":"…"}</c>, all four members strings.
/// </summary>
/// <param name="MsgSignature">Lowercase hex SHA-1 signature over token, <paramref name="TimeStamp"/>, <paramref name="Nonce"/> and <paramref name="Encrypt"/>.</param>
/// <param name="TimeStamp">The timestamp the signature was computed over.</param>
/// <param name="Nonce">The nonce the signature was computed over.</param>
/// <param name="Encrypt">The encrypted message, Base64.</param>
public sealed record DingCallbackReply(string MsgSignature, string TimeStamp, string Nonce, string Encrypt)
{
    /// <summary>Writes the reply as a JSON object with DingTalk's member names.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("msg_signature"u8, MsgSignature);
        writer.WriteString("timeStamp"u8, TimeStamp);
        writer.WriteString("nonce"u8, Nonce);
        writer.WriteString("encrypt"u8, Encrypt);
        writer.WriteEndObject();
    }

    /// <summary>The reply as compact UTF-8 JSON.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The reply as compact JSON text.</summary>
    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8Json());
}
