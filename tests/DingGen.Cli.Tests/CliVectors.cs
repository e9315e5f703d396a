using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DingGen.Cli.Tests;

/// <summary>
/// CLI helpers over the crypto vectors (loaded by the Runtime tests' <c>CryptoVectors</c>, linked into this project) and
/// an independent reference of their algorithm.
/// </summary>
public static class CliVectors
{
    /// <summary>A member of the vector, or <paramref name="fallback"/> when the vector has none (construction-only vectors).</summary>
    public static string TextOr(this JsonElement vector, string name, string fallback) =>
        vector.TryGetProperty(name, out var value) ? value.GetString()! : fallback;

    /// <summary>The decrypt command line for a vector.</summary>
    public static string[] DecryptArgs(JsonElement v) =>
    [
        "decrypt",
        "--token", v.Text("token"),
        "--aes-key", v.Text("aesKey"),
        "--app-key", v.Text("ownerKey"),
        "--timestamp", v.TextOr("timestamp", "1717034400123"),
        "--nonce", v.TextOr("nonce", "nonce123"),
        "--signature", v.TextOr("signature", "0000000000000000000000000000000000000000"),
        "--encrypt", v.TextOr("encrypt", "AAAA"),
    ];

    /// <summary>Reference signature: lowercase hex SHA-1 over the ordinal sort of the four strings, UTF-8, no separator.</summary>
    public static string ReferenceSignature(string token, string timestamp, string nonce, string encrypt)
    {
        var parts = new[] { token, timestamp, nonce, encrypt };
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    /// <summary>
    /// Reference decrypt: key = Base64(aesKey + "="), IV = key[0..16), AES-256-CBC without padding, drop the
    /// 1..32 pad bytes the last byte names, then random16 | BE u32 length | message | ownerKey.
    /// </summary>
    public static (byte[] Message, string OwnerKey) ReferenceDecrypt(string aesKey, string encrypt)
    {
        var key = Convert.FromBase64String(aesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        var frame = aes.DecryptCbc(Convert.FromBase64String(encrypt), key.AsSpan(0, 16), PaddingMode.None);
        Assert.Equal(0, frame.Length % 32);
        var pad = frame[^1];
        Assert.InRange(pad, 1, 32);
        Assert.All(frame[^pad..], b => Assert.Equal(pad, b));
        var body = frame[..^pad];
        var length = (body[16] << 24) | (body[17] << 16) | (body[18] << 8) | body[19];
        return (body[20..(20 + length)], Encoding.UTF8.GetString(body[(20 + length)..]));
    }

    private static TheoryData<string> Ids(IEnumerable<JsonElement> vectors)
    {
        var data = new TheoryData<string>();
        foreach (var vector in vectors)
        {
            data.Add(vector.GetProperty("id").GetString()!);
        }

        return data;
    }
}
