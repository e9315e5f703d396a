using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;

namespace DingGen;

/// <summary>A connection ticket: the WebSocket URL to connect to, with the one-use ticket in its query.</summary>
/// <param name="ConnectUri">The endpoint with <c>?ticket=…</c>; never logged (the ticket is a credential for 90 s).</param>
/// <param name="EndpointForLog">The endpoint without the ticket, safe to log.</param>
internal sealed record DingStreamTicket(Uri ConnectUri, string EndpointForLog);

/// <summary>Opening a ticket failed; <see cref="Exception.Message"/> is safe to log (no secret, no ticket).</summary>
internal sealed class DingStreamTicketException : Exception
{
    public DingStreamTicketException(string message, bool credentialsRejected = false, int statusCode = 0, string? code = null, Exception? inner = null)
        : base(message, inner)
    {
        CredentialsRejected = credentialsRejected;
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>The gateway refused the client id / secret.</summary>
    public bool CredentialsRejected { get; }

    public int StatusCode { get; }

    /// <summary>DingTalk's error <c>code</c> member, when the reply had one.</summary>
    public string? Code { get; }
}

/// <summary>
/// Opens Stream connection tickets (spec 5.1): <c>POST {gateway}/v1.0/gateway/connections/open</c> with the client id and
/// secret, one <c>EVENT</c> subscription on topic <c>*</c> plus one <c>CALLBACK</c> subscription per topic the handlers need (robot
/// messages, card callbacks), <c>Accept: application/json</c> (without it the gateway may answer
/// XML). A fresh ticket is opened for every connection; tickets are never cached.
/// </summary>
internal sealed class DingStreamTicketClient
{
    /// <summary>The name of the <see cref="HttpClient"/> (<c>IHttpClientFactory</c>) ticket requests use; configure proxies on it.</summary>
    public const string HttpClientName = "DingGen.Stream";

    internal static readonly string UserAgent = "dinggen/" + Version();

    private const int MaxReplyBytes = 64 * 1024;

    private readonly HttpClient _http;

    public DingStreamTicketClient(HttpClient http)
    {
        _http = http;
    }

    /// <exception cref="DingStreamTicketException">The ticket could not be opened.</exception>
    /// <param name="gateway">The gateway's base address.</param>
    /// <param name="clientId">The app's AppKey.</param>
    /// <param name="clientSecret">The app's AppSecret.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="callbackTopics">The <c>CALLBACK</c> topics to subscribe to besides <c>EVENT *</c>; none when <see langword="null"/>.</param>
    public async Task<DingStreamTicket> OpenAsync(Uri gateway, string clientId, string clientSecret, CancellationToken cancellationToken, IReadOnlyList<string>? callbackTopics = null)
    {
        var url = new Uri(gateway, "/v1.0/gateway/connections/open");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(RequestBody(clientId, clientSecret, callbackTopics ?? [])),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DingStreamTicketException($"the gateway could not be reached ({ex.HttpRequestError})", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DingStreamTicketException("the gateway did not answer in time", inner: ex);
        }

        using (response)
        {
            byte[] body;
            try
            {
                body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new DingStreamTicketException("the gateway's reply could not be read", statusCode: (int)response.StatusCode, inner: ex);
            }

            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var code = TryReadString(body, "code"u8);
                var credentials = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.BadRequest && code is not null && (code.Contains("Auth", StringComparison.OrdinalIgnoreCase) || code.Contains("client", StringComparison.OrdinalIgnoreCase)));
                throw new DingStreamTicketException($"HTTP {status}{(code is null ? string.Empty : ", code " + code)}", credentials, status, code ?? "(none)");
            }

            if (mediaType is not null && mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase))
            {
                throw new DingStreamTicketException($"the gateway answered {mediaType} instead of JSON", statusCode: status);
            }

            var endpoint = TryReadString(body, "endpoint"u8);
            var ticket = TryReadString(body, "ticket"u8);
            if (endpoint is null && ticket is null && (body.Length == 0 || body[0] != (byte)'{'))
            {
                throw new DingStreamTicketException("the gateway's reply is not JSON (an XML or HTML page?)", statusCode: status);
            }

            if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(ticket))
            {
                throw new DingStreamTicketException($"the gateway's reply has no {(string.IsNullOrEmpty(endpoint) ? "endpoint" : "ticket")}", statusCode: status);
            }

            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri) || (endpointUri.Scheme != "wss" && endpointUri.Scheme != "ws"))
            {
                throw new DingStreamTicketException("the gateway's endpoint is not a ws:// or wss:// URL", statusCode: status);
            }

            var separator = string.IsNullOrEmpty(endpointUri.Query) ? "?" : "&";
            var connect = new Uri(endpoint + separator + "ticket=" + Uri.EscapeDataString(ticket));
            return new DingStreamTicket(connect, endpointUri.GetLeftPart(UriPartial.Path));
        }
    }

    private static byte[] RequestBody(string clientId, string clientSecret, IReadOnlyList<string> callbackTopics)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("clientId"u8, clientId);
            writer.WriteString("clientSecret"u8, clientSecret);
            writer.WriteStartArray("subscriptions"u8);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "EVENT"u8);
            writer.WriteString("topic"u8, "*"u8);
            writer.WriteEndObject();
            foreach (var topic in callbackTopics)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "CALLBACK"u8);
                writer.WriteString("topic"u8, topic);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("ua"u8, UserAgent);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[4096];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length >= MaxReplyBytes)
                    {
                        throw new DingStreamTicketException("the gateway's reply is larger than 64 KiB");
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, total).ToArray();
                }

                total += read;
            }
        }
    }

    /// <summary>A top-level string member of a JSON object, or <see langword="null"/> (also when the text is not JSON).</summary>
    private static string? TryReadString(byte[] json, ReadOnlySpan<byte> name)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string Version()
    {
        var informational = typeof(DingStreamTicketClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return typeof(DingStreamTicketClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
