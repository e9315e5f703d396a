using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DingGen.Hosting.Tests.HostileInput;

/// <summary>
/// One request as it goes on the wire: query pairs (unescaped; escaped when sent), body bytes, Content-Type, and whether
/// the body is sent without a Content-Length. <see cref="EventId"/> names the event inside the genuine envelope it was
/// made from, so the test can see whether a handler ran for this very request.
/// </summary>
public sealed record HostileRequest(string Kind, IReadOnlyList<KeyValuePair<string, string>> Query, byte[] Body, string? ContentType, bool Chunked, string EventId)
{
    public HttpRequestMessage ToHttpRequest(string path)
    {
        var uri = new StringBuilder(path);
        for (var i = 0; i < Query.Count; i++)
        {
            uri.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
        }

        HttpContent content = Chunked ? new UnknownLengthContent(Body) : new ByteArrayContent(Body);
        content.Headers.ContentType = ContentType is null ? null : MediaTypeHeaderValue.Parse(ContentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(uri.ToString(), UriKind.Relative)) { Content = content };
    }

    /// <summary>A short description for CsCheck's failure report (bodies can be 64 KiB).</summary>
    public override string ToString()
    {
        var query = string.Join('&', Query.Select(p => p.Key + "=" + p.Value));
        var body = Body.Length <= 300 ? Convert.ToHexString(Body) : Convert.ToHexString(Body.AsSpan(0, 300)) + "…";
        return string.Create(CultureInfo.InvariantCulture, $"{Kind}: ?{query} Content-Type={ContentType ?? "(none)"} chunked={Chunked} body[{Body.Length}]={body}");
    }

    /// <summary>A body sent with chunked transfer encoding: no Content-Length for the server to trust.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body, 0, body.Length);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

/// <summary>
/// The oracle: decides from what was actually sent, without the endpoint's code, whether a handler must run.
/// The endpoint's contract it encodes: query keys match case-insensitively; <c>msg_signature</c> is used when present,
/// else <c>signature</c>; <c>timestamp</c>/<c>timeStamp</c> (one key, case-insensitively) and <c>nonce</c> each exactly
/// once and non-empty; body at most <c>MaxBodyBytes</c>, valid UTF-8 throughout, a JSON object (depth ≤ 16, valid UTF-8, nothing after it) with
/// exactly one member named <c>encrypt</c> (after unescaping), a string; then <see cref="DingCallbackCrypto.TryDecrypt"/>.
/// </summary>
public static class HostileOracle
{
    public const int MaxDepth = 16;

    /// <summary>
    /// True when the request must be served (HTTP 200): it verifies, decrypts and carries the owner key. Then
    /// <paramref name="eventType"/> and <paramref name="eventId"/> are those of the decrypted event.
    /// </summary>
    public static bool ShouldBeServed(HostileRequest request, DingCallbackCrypto crypto, int maxBodyBytes, out string? eventType, out string? eventId)
    {
        eventType = null;
        eventId = null;
        var signature = Single(request.Query, "msg_signature") ?? Single(request.Query, "signature");
        var timestamp = Single(request.Query, "timestamp");
        var nonce = Single(request.Query, "nonce");
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || request.Body.Length > maxBodyBytes
            || !System.Text.Unicode.Utf8.IsValid(request.Body))
        {
            return false;
        }

        string? encrypt = null;
        try
        {
            using var document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.NameEquals("encrypt"))
                {
                    if (encrypt is not null || member.Value.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    encrypt = member.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (encrypt is null || crypto.TryDecrypt(signature, timestamp, nonce, encrypt, out var plaintext) != DingCryptoErrorCode.None)
        {
            return false;
        }

        using var payload = JsonDocument.Parse(plaintext);
        eventId = payload.RootElement.GetProperty("eventId").GetString();
        eventType = payload.RootElement.GetProperty("EventType").GetString();
        return true;
    }

    /// <summary>The value of <paramref name="key"/> when it is present; empty when repeated (which the contract rejects).</summary>
    private static string? Single(IReadOnlyList<KeyValuePair<string, string>> query, string key)
    {
        string? value = null;
        var count = 0;
        foreach (var pair in query)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                value = pair.Value;
                count++;
            }
        }

        return count switch
        {
            0 => null,
            1 => value,
            _ => string.Empty,
        };
    }
}
