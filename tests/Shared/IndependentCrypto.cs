using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DingGen.Tests.Shared;

/// <summary>
/// A second, deliberately naive implementation of the vectors' algorithm (AES-256-CBC without cipher padding, the
/// random16 | BE32 length | message | ownerKey frame, lowercase hex SHA-1 over the ordinal sort of token, timestamp,
/// nonce and encrypt), so replies are checked by code that shares nothing with the Runtime.
/// </summary>
public static class IndependentCrypto
{
    public static string Sign(string token, string timestamp, string nonce, string encrypt)
    {
        var parts = new[] { token, timestamp, nonce, encrypt };
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)))).ToLowerInvariant();
    }

    public static (string Message, string OwnerKey) Decrypt(string aesKey, string encrypt)
    {
        var key = Convert.FromBase64String(aesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(Convert.FromBase64String(encrypt), key.AsSpan(0, 16), PaddingMode.None);
        var pad = plain[^1];
        var length = pad is >= 1 and <= 32 ? plain.Length - pad : plain.Length;
        var messageLength = (int)BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(16, 4));
        var message = Encoding.UTF8.GetString(plain, 20, messageLength);
        var owner = Encoding.UTF8.GetString(plain, 20 + messageLength, length - 20 - messageLength);
        return (message, owner);
    }

    /// <summary>Asserts <paramref name="body"/> is DingTalk's reply: four strings, a valid signature, and <c>success</c> under <paramref name="ownerKey"/>.</summary>
    public static void AssertSuccessReply(string body, string token, string aesKey, string ownerKey, string? expectedTimestamp = null, string? expectedNonce = null)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(4, root.EnumerateObject().Count());
        var signature = root.GetProperty("msg_signature").GetString()!;
        var timestamp = root.GetProperty("timeStamp").GetString()!;
        var nonce = root.GetProperty("nonce").GetString()!;
        var encrypt = root.GetProperty("encrypt").GetString()!;
        Assert.Equal(Sign(token, timestamp, nonce, encrypt), signature);
        var (message, owner) = Decrypt(aesKey, encrypt);
        Assert.Equal("success", message);
        Assert.Equal(ownerKey, owner);
        if (expectedTimestamp is not null)
        {
            Assert.Equal(expectedTimestamp, timestamp);
        }

        if (expectedNonce is not null)
        {
            Assert.Equal(expectedNonce, nonce);
        }
    }

    /// <summary>The <c>errcode</c> of an error body.</summary>
    public static int ErrorCode(string body)
    {
        using var document = JsonDocument.Parse(body);
        Assert.True(document.RootElement.TryGetProperty("errmsg", out _));
        return document.RootElement.GetProperty("errcode").GetInt32();
    }
}
