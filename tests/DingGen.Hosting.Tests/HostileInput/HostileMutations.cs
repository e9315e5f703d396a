using System.Globalization;
using System.Text;
using CsCheck;
using DingGen.Tests.Shared;

namespace DingGen.Hosting.Tests.HostileInput;

/// <summary>
/// Mutants of genuine DingTalk callbacks. Each sample is a fresh genuine envelope (deterministic from CsCheck's seed: event
/// id, AES random prefix, nonce and timestamp are generated values) and one mutation chosen by <see cref="Kind"/>, drawn
/// from a <see cref="Random"/> seeded by the sample, so a failing seed reproduces the same bytes.
/// </summary>
public static class HostileMutations
{
    public enum Kind
    {
        Control,
        ControlOtherSpellings,
        JsonEquivalentBody,
        FlipEncryptValue,
        TruncateEncryptValue,
        FlipBody,
        TruncateBody,
        FlipQueryValue,
        TruncateQueryValue,
        HugeBody,
        EmptyBody,
        InvalidUtf8,
        DeepJson,
        DuplicateEncrypt,
        WrongJsonTypes,
        QueryMissing,
        QueryRepeated,
        QueryBothSpellings,
        QueryKeyCase,
        TrailingData,
        RandomBytes,
    }

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz", "application/octet-stream", "image/png", "text/html; charset=gbk",
    ];

    private static int s_counter;

    private static readonly DingCallbackCrypto Crypto = new(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);

    /// <summary>Requests: every kind equally often, so each of the 21 kinds gets ~4,800 of 100,000 samples.</summary>
    public static Gen<HostileRequest> Requests(int maxBodyBytes) =>
        Gen.Select(Gen.ULong, Gen.String[Gen.Char[Alphanumeric], 16, 16], Gen.String[Gen.Char[Alphanumeric], 8, 8], Gen.Long[1_600_000_000_000, 1_900_000_000_000], Gen.Enum<Kind>(), Gen.Int)
            .Select((id, prefix, nonce, ms, kind, seed) => Build(id, prefix, nonce, ms.ToString(CultureInfo.InvariantCulture), kind, seed, maxBodyBytes));

    public static HostileRequest Build(ulong id, string prefix, string nonce, string timestamp, Kind kind, int seed, int maxBodyBytes)
    {
        var random = new Random(seed);
        // The counter keeps event ids unique when CsCheck replays or shrinks a sample while other threads run; it is fixed-width,
        // so it changes no length or position the mutation depends on.
        var eventId = "h-" + id.ToString("x16", CultureInfo.InvariantCulture) + "-" + Interlocked.Increment(ref s_counter).ToString("x8", CultureInfo.InvariantCulture);
        var eventType = random.Next(8) == 0 ? "user_add_org" : "bpms_instance_change";
        var payload = $$"""{"EventType":"{{eventType}}","eventId":"{{eventId}}","CorpId":"dingcorp0001","processInstanceId":"pi-{{id}}"}""";
        var encrypt = Crypto.Encrypt(Encoding.UTF8.GetBytes(payload), Encoding.ASCII.GetBytes(prefix));
        var signature = Crypto.ComputeSignature(timestamp, nonce, encrypt);
        var query = new List<KeyValuePair<string, string>>
        {
            new("signature", signature),
            new("timestamp", timestamp),
            new("nonce", nonce),
        };
        var bodyText = $$"""{"encrypt":"{{encrypt}}"}""";
        var contentType = random.Next(4) == 0 ? null : ContentTypes[random.Next(ContentTypes.Length)];
        var chunked = random.Next(5) == 0;
        byte[]? body = null;

        switch (kind)
        {
            case Kind.Control:
                break;
            case Kind.ControlOtherSpellings:
                query[0] = new("msg_signature", signature);
                query[1] = new("timeStamp", timestamp);
                Shuffle(random, query);
                break;
            case Kind.JsonEquivalentBody:
                bodyText = JsonEquivalent(random, encrypt);
                break;
            case Kind.FlipEncryptValue:
                bodyText = $$"""{"encrypt":"{{FlipAsciiBit(random, encrypt)}}"}""";
                break;
            case Kind.TruncateEncryptValue:
                bodyText = $$"""{"encrypt":"{{encrypt[..random.Next(encrypt.Length)]}}"}""";
                break;
            case Kind.FlipBody:
                body = Encoding.UTF8.GetBytes(bodyText);
                for (var flips = 1 + random.Next(3); flips > 0; flips--)
                {
                    body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case Kind.TruncateBody:
                body = Encoding.UTF8.GetBytes(bodyText)[..random.Next(bodyText.Length)];
                break;
            case Kind.FlipQueryValue:
                {
                    var index = random.Next(query.Count);
                    query[index] = new(query[index].Key, FlipAsciiBit(random, query[index].Value));
                    break;
                }

            case Kind.TruncateQueryValue:
                {
                    var index = random.Next(query.Count);
                    query[index] = new(query[index].Key, query[index].Value[..random.Next(query[index].Value.Length)]);
                    break;
                }

            case Kind.HugeBody:
                {
                    // Valid JSON that would verify, but over the cap: the cap wins, whatever Content-Length says.
                    var padding = new string('x', maxBodyBytes - bodyText.Length + 1 + random.Next(3 * maxBodyBytes));
                    bodyText = random.Next(2) == 0
                        ? $$"""{"encrypt":"{{encrypt}}","pad":"{{padding}}"}"""
                        : $$"""{"pad":"{{padding}}","encrypt":"{{encrypt}}"}""";
                    break;
                }

            case Kind.EmptyBody:
                body = random.Next(2) == 0 ? [] : Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "{}" : "   ");
                break;
            case Kind.InvalidUtf8:
                {
                    byte[][] bad = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
                    var text = random.Next(2) == 0 ? bodyText : $$"""{"note":"n","encrypt":"{{encrypt}}"}""";
                    var bytes = Encoding.UTF8.GetBytes(text);
                    var at = random.Next(text.IndexOf('"', 2) + 1, bytes.Length - 2); // inside a name or string, or a structural spot
                    body = [.. bytes[..at], .. bad[random.Next(bad.Length)], .. bytes[at..]];
                    break;
                }

            case Kind.DeepJson:
                {
                    // Nesting below the limit is fine; above it the body is rejected.
                    var depth = random.Next(3) == 0 ? random.Next(1, 20) : random.Next(20, 5_000);
                    var open = random.Next(2) == 0 ? "[" : "{\"a\":";
                    var close = open == "[" ? "]" : "}";
                    var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
                    bodyText = random.Next(2) == 0 ? $$"""{"deep":{{nested}},"encrypt":"{{encrypt}}"}""" : $$"""{"encrypt":"{{encrypt}}","deep":{{nested}}}""";
                    break;
                }

            case Kind.DuplicateEncrypt:
                bodyText = random.Next(3) switch
                {
                    0 => $$"""{"encrypt":"{{encrypt}}","encrypt":"{{encrypt}}"}""",
                    1 => $$"""{"encrypt":"AAAA","encrypt":"{{encrypt}}"}""",
                    _ => $$"""{"encrypt":"{{encrypt}}","encr\u0079pt":1}""",
                };
                break;
            case Kind.WrongJsonTypes:
                {
                    string[] shapes =
                    [
                        "{\"encrypt\":123}", "{\"encrypt\":null}", "{\"encrypt\":true}", $"{{\"encrypt\":[\"{encrypt}\"]}}", $"{{\"encrypt\":{{\"v\":\"{encrypt}\"}}}}",
                    $"[\"{encrypt}\"]", $"\"{encrypt}\"", "42", "null", $"{{\"Encrypt\":\"{encrypt}\"}}", $"{{\"ENCRYPT\":\"{encrypt}\"}}",
                ];
                    bodyText = shapes[random.Next(shapes.Length)];
                    break;
                }

            case Kind.QueryMissing:
                query.RemoveAt(random.Next(query.Count));
                if (random.Next(3) == 0)
                {
                    query.RemoveAt(random.Next(query.Count));
                }

                break;
            case Kind.QueryRepeated:
                {
                    var index = random.Next(query.Count);
                    var value = random.Next(2) == 0 ? query[index].Value : FlipAsciiBit(random, query[index].Value);
                    query.Insert(random.Next(query.Count + 1), new(query[index].Key, value));
                    break;
                }

            case Kind.QueryBothSpellings:
                if (random.Next(2) == 0)
                {
                    // msg_signature wins over signature: a wrong one must fail however right the other is.
                    var right = random.Next(2) == 0;
                    query.Add(new("msg_signature", right ? signature : FlipAsciiBit(random, signature)));
                }
                else
                {
                    query.Add(new("timeStamp", random.Next(2) == 0 ? timestamp : FlipAsciiBit(random, timestamp)));
                }

                Shuffle(random, query);
                break;
            case Kind.QueryKeyCase:
                {
                    var index = random.Next(query.Count);
                    query[index] = new(random.Next(2) == 0 ? query[index].Key.ToUpperInvariant() : FlipAsciiBit(random, query[index].Key), query[index].Value);
                    break;
                }

            case Kind.TrailingData:
                {
                    string[] tails = [" ", "\r\n\t ", "x", "{}", ",", "]", "\"", "null", "\u0000"];
                    bodyText += tails[random.Next(tails.Length)];
                    break;
                }

            case Kind.RandomBytes:
                body = new byte[random.Next(0, 512)];
                random.NextBytes(body);
                break;
        }

        return new HostileRequest(kind.ToString(), query, body ?? Encoding.UTF8.GetBytes(bodyText), contentType, chunked, eventId);
    }

    /// <summary>The same JSON with whitespace, escapes and extra members: still one string <c>encrypt</c> of the same value.</summary>
    private static string JsonEquivalent(Random random, string encrypt)
    {
        var value = new StringBuilder();
        foreach (var c in encrypt)
        {
            value.Append(random.Next(10) switch
            {
                0 => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                1 when c == '/' => "\\/",
                _ => c.ToString(),
            });
        }

        string Ws() => random.Next(3) switch { 0 => string.Empty, 1 => " ", _ => "\r\n\t " };
        var name = random.Next(4) == 0 ? "encr\\u0079pt" : "encrypt";
        var extra = random.Next(3) switch
        {
            0 => string.Empty,
            1 => $",{Ws()}\"msg\":{Ws()}[1,{{\"x\":null}},\"\\u4e2d\"]",
            _ => $",\"nested\":{{\"encrypt\":\"not-the-top-level-one\"}}",
        };
        return random.Next(2) == 0
            ? $"{Ws()}{{{Ws()}\"{name}\"{Ws()}:{Ws()}\"{value}\"{extra}{Ws()}}}{Ws()}"
            : $"{Ws()}{{\"first\":true{extra},{Ws()}\"{name}\":\"{value}\"}}{Ws()}";
    }

    /// <summary>Flips one of the low 7 bits of one character: the result stays ASCII (and may be a control character).</summary>
    private static string FlipAsciiBit(Random random, string value)
    {
        if (value.Length == 0)
        {
            return "x";
        }

        var chars = value.ToCharArray();
        var index = random.Next(chars.Length);
        chars[index] = (char)((chars[index] ^ (1 << random.Next(7))) & 0x7F);
        return new string(chars);
    }

    private static void Shuffle<T>(Random random, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
