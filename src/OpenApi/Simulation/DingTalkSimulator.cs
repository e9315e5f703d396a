using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace DingGen.Testing;

/// <summary>
/// Plays DingTalk in tests of a DingGen host: encrypts and signs event payloads exactly as DingTalk's HTTP push does
/// (query <c>signature</c>, <c>timestamp</c> in milliseconds and an 8-character alphanumeric <c>nonce</c>; body
/// <c>{"encrypt":"…"}</c>), posts them, and checks that the reply decrypts to <c>success</c> with the same keys.
/// </summary>
/// <example>
/// <code>
/// var dingtalk = new DingTalkSimulator(token, aesKey, ownerKey: appKey);
/// var result = await dingtalk.PostAsync(client, "/dingtalk/callback", """{"EventType":"check_url"}""");
/// Assert.True(result.IsSuccessReply);
/// </code>
/// </example>
/// <remarks>
/// Instances are thread-safe; one can deliver many callbacks concurrently. <see cref="DeliverAsync"/> adds DingTalk's
/// redelivery schedule and records the events that end up on the failed list (<see cref="FailedEvents"/>).
/// </remarks>
public sealed partial class DingTalkSimulator
{
    private readonly DingCallbackCrypto _crypto;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a simulator for one DingTalk app.</summary>
    /// <param name="token">The callback token.</param>
    /// <param name="aesKey">The 43-character EncodingAESKey.</param>
    /// <param name="ownerKey">The key DingTalk writes inside the ciphertext: AppKey, CorpId, SuiteKey, or the suite-creation placeholder.</param>
    /// <param name="timeProvider">The clock the <c>timestamp</c> is read from; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public DingTalkSimulator(string token, string aesKey, string ownerKey, TimeProvider? timeProvider = null)
    {
        _crypto = new DingCallbackCrypto(token, aesKey, ownerKey);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The owner key the simulator encrypts with.</summary>
    public string OwnerKey => _crypto.OwnerKey;

    /// <summary>The query parameter carrying the signature: <c>signature</c> (DingTalk's usual spelling) or <c>msg_signature</c>.</summary>
    public string SignatureParameterName { get; init; } = "signature";

    /// <summary>The query parameter carrying the timestamp: <c>timestamp</c> (DingTalk's usual spelling) or <c>timeStamp</c>.</summary>
    public string TimestampParameterName { get; init; } = "timestamp";

    /// <summary>Encrypts and signs <paramref name="payloadJson"/> with a fresh nonce and the current time, without sending it.</summary>
    public DingSealedMessage CreateCallback(string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return _crypto.Seal(Encoding.UTF8.GetBytes(payloadJson), _timeProvider);
    }

    /// <summary>
    /// Builds the <c>POST</c> DingTalk would send for <paramref name="payloadJson"/> to <paramref name="path"/>, without sending it,
    /// so a test can alter it first. Send it with <see cref="SendAsync"/>.
    /// </summary>
    /// <param name="path">The callback path (relative to the client's base address) or an absolute URL; may carry no query.</param>
    /// <param name="payloadJson">The plaintext event JSON, e.g. <c>{"EventType":"check_url"}</c>.</param>
    public HttpRequestMessage CreateRequest(string path, string payloadJson) => CreateRequest(path, CreateCallback(payloadJson));

    /// <summary>Builds the <c>POST</c> for an already encrypted and signed <paramref name="callback"/> (for example a published test vector).</summary>
    public HttpRequestMessage CreateRequest(string path, DingSealedMessage callback)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(callback);
        var uri = new StringBuilder(path)
            .Append('?').Append(SignatureParameterName).Append('=').Append(Uri.EscapeDataString(callback.Signature))
            .Append('&').Append(TimestampParameterName).Append('=').Append(Uri.EscapeDataString(callback.Timestamp))
            .Append("&nonce=").Append(Uri.EscapeDataString(callback.Nonce))
            .ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(uri, UriKind.RelativeOrAbsolute))
        {
            Content = new ByteArrayContent(CreateBody(callback.Encrypt)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>Encrypts, signs and posts <paramref name="payloadJson"/> to <paramref name="path"/>, and reads the reply.</summary>
    public async Task<DingTalkDeliveryResult> PostAsync(HttpClient client, string path, string payloadJson, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(path, payloadJson);
        return await SendAsync(client, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/> (usually from <see cref="CreateRequest(string, string)"/>) and reads the reply.</summary>
    public async Task<DingTalkDeliveryResult> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new DingTalkDeliveryResult(response.StatusCode, body, response.StatusCode == HttpStatusCode.OK && IsSuccessReply(body), ReadErrorCode(body));
    }

    /// <summary>
    /// Whether <paramref name="replyBody"/> is <c>{"msg_signature","timeStamp","nonce","encrypt"}</c> whose signature verifies and
    /// whose <c>encrypt</c> decrypts, with this simulator's keys, to exactly <c>success</c> (what DingTalk checks).
    /// </summary>
    public bool IsSuccessReply(string replyBody) => TryDecryptReply(replyBody, out var message) && message == "success";

    /// <summary>Verifies and decrypts a reply body; <see langword="false"/> when it is not a well-formed, correctly signed reply.</summary>
    public bool TryDecryptReply(string replyBody, out string? message)
    {
        message = null;
        if (string.IsNullOrEmpty(replyBody))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(replyBody);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryGetString(root, "msg_signature", out var signature)
                || !TryGetString(root, "timeStamp", out var timestamp)
                || !TryGetString(root, "nonce", out var nonce)
                || !TryGetString(root, "encrypt", out var encrypt))
            {
                return false;
            }

            if (_crypto.TryDecrypt(signature, timestamp, nonce, encrypt, out var plaintext) != DingCryptoErrorCode.None)
            {
                return false;
            }

            message = Encoding.UTF8.GetString(plaintext!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] CreateBody(string encrypt)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(encrypt.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("encrypt"u8, encrypt);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static int? ReadErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errcode", out var code)
                && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }
}

/// <summary>What the host answered to one simulated callback.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The raw reply body.</param>
/// <param name="IsSuccessReply">Whether the status is 200 and the body is a correctly signed reply that decrypts to <c>success</c>: DingTalk counts the delivery as done.</param>
/// <param name="ErrorCode">The <c>errcode</c> of an error body <c>{"errcode":…,"errmsg":"…"}</c>, else <see langword="null"/>.</param>
public sealed record DingTalkDeliveryResult(HttpStatusCode StatusCode, string Body, bool IsSuccessReply, int? ErrorCode);
