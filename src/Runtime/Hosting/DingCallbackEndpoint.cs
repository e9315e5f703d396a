using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The HTTP push endpoint of one DingTalk app: size-capped body read → envelope parse → signature check →
/// decrypt and owner-key check → <c>check_*</c> validations answered → dispatch → encrypted <c>success</c>.
/// A rejected request never reaches a handler. See <see cref="DingCallbackEndpointRouteBuilderExtensions"/> for the statuses.
/// </summary>
internal sealed class DingCallbackEndpoint
{
    /// <summary>A callback slower than this logs "DingTalk deadline at risk" (DingTalk waits 1500 ms).</summary>
    internal static readonly TimeSpan DeadlineWarningThreshold = TimeSpan.FromMilliseconds(1000);

    private const int InitialBodyBuffer = 4096;

    private readonly string _appName;
    private readonly IServiceProvider _services;
    private Dependencies? _dependencies;

    public DingCallbackEndpoint(string appName, IServiceProvider services)
    {
        _appName = appName;
        _services = services;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var deps = _dependencies ??= new Dependencies(_services);
        var time = deps.TimeProvider;
        var start = time.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        var metricApp = _appName.Length == 0 ? "default" : _appName;
        deps.Metrics.Received(metricApp);

        using var activity = DingGenDiagnostics.ActivitySource.StartActivity(DingGenDiagnostics.CallbackActivityName, ActivityKind.Internal);
        activity?.SetTag("dinggen.app", metricApp);

        DingCallbackApp app;
        try
        {
            app = deps.Apps.Get(_appName);
        }
        catch (OptionsValidationException ex)
        {
            DingGenLog.ConfigurationInvalid(deps.Logger, metricApp, string.Join(" ", ex.Failures));
            await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status500InternalServerError, (int)DingCallbackErrorCode.ConfigurationInvalid, "configuration", "the DingTalk app's configuration is invalid").ConfigureAwait(false);
            return;
        }

        // 1. Query: msg_signature|signature, timestamp|timeStamp, nonce; each exactly once.
        var query = http.Request.Query;
        if (!TryGetSingle(query, "msg_signature", "signature", out var signature)
            || !TryGetSingle(query, "timestamp", "timeStamp", out var timestamp)
            || !TryGetSingle(query, "nonce", null, out var nonce))
        {
            await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status400BadRequest, (int)DingCallbackErrorCode.InvalidQuery, "query", "the query needs exactly one signature (or msg_signature), timestamp (or timeStamp) and nonce").ConfigureAwait(false);
            return;
        }

        // 2. Body, read with a cap whatever Content-Length says.
        var maxBodyBytes = app.Options.MaxBodyBytes;
        byte[]? body = null;
        char[]? encrypt = null;
        try
        {
            int bodyLength;
            var contentLength = http.Request.ContentLength;
            if (contentLength > maxBodyBytes)
            {
                bodyLength = -1;
            }
            else
            {
                // Start at the announced length (+1 to notice a body longer than announced), else small; grow up to the cap.
                var initial = ArrayPool<byte>.Shared.Rent(contentLength is { } announced ? (int)announced + 1 : Math.Min(InitialBodyBuffer, maxBodyBytes + 1));
                try
                {
                    // ReadBodyAsync owns the buffer: it returns it to the pool itself when reading throws.
                    (body, bodyLength) = await ReadBodyAsync(http.Request.Body, initial, maxBodyBytes, http.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex)
                {
                    bodyLength = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? -1 : -2;
                }
            }

            if (bodyLength == -1)
            {
                await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status413PayloadTooLarge, (int)DingCallbackErrorCode.BodyTooLarge, "body_too_large", "the request body is larger than the configured MaxBodyBytes").ConfigureAwait(false);
                return;
            }

            // 3. Envelope {"encrypt":"..."}.
            int encryptLength;
            if (bodyLength < 0)
            {
                encryptLength = -1;
            }
            else
            {
                encrypt = ArrayPool<char>.Shared.Rent(Math.Max(bodyLength, 1));
                encryptLength = TryReadEncrypt(body.AsSpan(0, bodyLength), encrypt);
            }

            if (encryptLength < 0)
            {
                await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status400BadRequest, (int)DingCallbackErrorCode.MalformedBody, "body", "the body must be a JSON object with a string member encrypt").ConfigureAwait(false);
                return;
            }

            // 4. Signature first, then decrypt and owner key.
            var crypto = app.Crypto;
            var code = crypto.TryDecrypt(signature, timestamp, nonce, encrypt.AsSpan(0, encryptLength), out var plaintext);
            var underPlaceholder = false;
            if (code == DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError && app.PlaceholderCrypto is { } placeholder
                && placeholder.TryDecrypt(signature, timestamp, nonce, encrypt.AsSpan(0, encryptLength), out var placeholderText) == DingCryptoErrorCode.None)
            {
                code = DingCryptoErrorCode.None;
                plaintext = placeholderText;
                crypto = placeholder;
                underPlaceholder = true;
            }

            if (code != DingCryptoErrorCode.None)
            {
                var (status, reason) = code switch
                {
                    DingCryptoErrorCode.ComputeSignatureError or DingCryptoErrorCode.SignatureNotMatch => (StatusCodes.Status401Unauthorized, "signature"),
                    DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError => (StatusCodes.Status401Unauthorized, "owner_key"),
                    _ => (StatusCodes.Status400BadRequest, "ciphertext"),
                };
                await RejectAsync(http, deps, metricApp, start, activity, status, (int)code, reason, DingCryptoErrors.Describe(code)).ConfigureAwait(false);
                return;
            }

            // 4b. Replay guard (opt-in), only for a verified request so that forgeries never enter its cache.
            var replayGuard = deps.ReplayGuard;
            if (replayGuard.Check(app, signature, timestamp, out var replayMessage) is var replay and not DingReplayVerdict.Accepted)
            {
                var (replayCode, replayReason) = replay == DingReplayVerdict.Replayed ? (DingCallbackErrorCode.ReplayRejected, "replay") : (DingCallbackErrorCode.TimestampRejected, "timestamp");
                await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status401Unauthorized, (int)replayCode, replayReason, replayMessage).ConfigureAwait(false);
                return;
            }

            // 5. Envelope of the plaintext: EventType, eventId/BizId, CorpId.
            var parsed = ReadEvent(plaintext!, deps.Router);
            if (parsed.Kind == EventKind.Invalid)
            {
                await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status400BadRequest, (int)DingCallbackErrorCode.InvalidPayload, "payload", "the decrypted payload is not a JSON object with a string EventType").ConfigureAwait(false);
                return;
            }

            if (underPlaceholder && parsed.Kind != EventKind.CheckCreateSuiteUrl)
            {
                await RejectAsync(http, deps, metricApp, start, activity, StatusCodes.Status401Unauthorized, (int)DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError, "owner_key_placeholder", "the suite-creation placeholder owner key is accepted only for check_create_suite_url").ConfigureAwait(false);
                return;
            }

            activity?.SetTag("dinggen.event_type", parsed.EventType);

            // 6. URL validations are answered by the host itself.
            if (parsed.Kind != EventKind.Event)
            {
                DingGenLog.UrlValidationAnswered(deps.Logger, metricApp, parsed.EventType);
                deps.Metrics.Handled(metricApp, parsed.EventType);
                Complete(deps, metricApp, start, activity, "validated");
                await WriteJsonAsync(http, StatusCodes.Status200OK, crypto.CreateSuccessReply(timestamp, nonce).ToUtf8Json()).ConfigureAwait(false);
                return;
            }

            // 7a. Durable inbox: store the sealed delivery, answer at once; the inbox worker dispatches it.
            if (deps.Inbox is { } inbox && inbox.ShouldStore(_appName, parsed.EventType))
            {
                var sealedEnvelope = new DingSealedEnvelope(signature, timestamp, nonce, new string(encrypt!, 0, encryptLength));
                var added = await inbox.AcceptHttpPushAsync(_appName, parsed.EventType, parsed.EventId, parsed.CorpId, plaintext!, sealedEnvelope, receivedAt).ConfigureAwait(false);
                Complete(deps, metricApp, start, activity, added switch { DingInboxAddResult.Added => "enqueued", DingInboxAddResult.Duplicate => "duplicate", _ => "inbox_failed" });
                if (added is null)
                {
                    replayGuard.Forget(app, signature);
                    activity?.SetStatus(ActivityStatusCode.Error);
                    await WriteJsonAsync(http, StatusCodes.Status500InternalServerError, ErrorBody((int)DingCallbackErrorCode.InboxUnavailable, "the event could not be stored; DingTalk will redeliver it")).ConfigureAwait(false);
                    return;
                }

                await WriteJsonAsync(http, StatusCodes.Status200OK, crypto.CreateSuccessReply(timestamp, nonce).ToUtf8Json()).ConfigureAwait(false);
                return;
            }

            // 7. Dispatch. Handlers get the host's stopping token, not the request's abort token.
            var observer = new HandlerObserver();
            var context = new DingEventContext(parsed.EventType, plaintext, http.RequestServices)
            {
                EventId = parsed.EventId!,
                CorpId = parsed.CorpId,
                Channel = DingDeliveryChannel.HttpPush,
                ReceivedAt = receivedAt,
                AppName = _appName.Length == 0 ? null : _appName,
                CancellationToken = deps.Lifetime.ApplicationStopping,
                TimeProvider = time,
                Observer = observer,
            };

            DingDispatchResult result;
            try
            {
                result = await deps.Router.DispatchAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                DingGenLog.DispatcherFailed(deps.Logger, ex, parsed.EventType, metricApp);
                result = DingDispatchResult.Failed([new DingHandlerFailure("(dispatcher)", parsed.EventType, ex)]);
            }

            var elapsed = time.GetElapsedTime(start);
            if (elapsed > DeadlineWarningThreshold)
            {
                DingGenLog.DeadlineAtRisk(deps.Logger, parsed.EventType, metricApp, elapsed.TotalMilliseconds, observer.Describe());
            }

            string outcome;
            switch (result.Status)
            {
                case DingDispatchStatus.Failed:
                    foreach (var failure in result.Failures)
                    {
                        if (failure.HandlerName != "(dispatcher)")
                        {
                            DingGenLog.HandlerFailed(deps.Logger, failure.Exception, failure.HandlerName, failure.EventType, metricApp);
                        }
                    }

                    deps.Metrics.Failed(metricApp, parsed.EventType);
                    replayGuard.Forget(app, signature);
                    outcome = "failed";
                    break;
                case DingDispatchStatus.Handled:
                    deps.Metrics.Handled(metricApp, parsed.EventType);
                    outcome = "handled";
                    break;
                default:
                    deps.Metrics.Unhandled(metricApp);
                    outcome = "unhandled";
                    break;
            }

            DingGenLog.CallbackCompleted(deps.Logger, metricApp, parsed.EventType, parsed.CorpId, outcome, elapsed.TotalMilliseconds);
            Complete(deps, metricApp, start, activity, outcome);
            if (result.Status == DingDispatchStatus.Failed)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                await WriteJsonAsync(http, StatusCodes.Status500InternalServerError, ErrorBody((int)DingCallbackErrorCode.HandlerFailed, "a handler failed; DingTalk will redeliver the event")).ConfigureAwait(false);
                return;
            }

            await WriteJsonAsync(http, StatusCodes.Status200OK, crypto.CreateSuccessReply(timestamp, nonce).ToUtf8Json()).ConfigureAwait(false);
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body, clearArray: false);
            }

            if (encrypt is not null)
            {
                ArrayPool<char>.Shared.Return(encrypt);
            }
        }
    }

    /// <summary>
    /// Reads the body into <paramref name="buffer"/>, growing it (from the pool) up to <paramref name="max"/> + 1 bytes.
    /// Returns the buffer in use and the body length, or -1 as soon as more than <paramref name="max"/> bytes arrived.
    /// </summary>
    private static async ValueTask<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, byte[] buffer, int max, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, max + 1L));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, total);
                }

                total += read;
                if (total > max)
                {
                    return (buffer, -1);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Copies the unescaped <c>encrypt</c> member of <paramref name="body"/> to <paramref name="destination"/>; -1 when malformed (including invalid UTF-8 anywhere).</summary>
    private static int TryReadEncrypt(ReadOnlySpan<byte> body, char[] destination)
    {
        // Utf8JsonReader checks UTF-8 only in the strings it transcodes; a body with invalid bytes in a skipped member is not JSON either.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return -1;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        var written = -1;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEncrypt = reader.ValueTextEquals("encrypt"u8);
                reader.Read();
                if (!isEncrypt)
                {
                    reader.Skip();
                    continue;
                }

                if (written >= 0 || reader.TokenType != JsonTokenType.String)
                {
                    return -1;
                }

                written = reader.CopyString(destination);
            }

            // Reading on rejects anything after the object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }

        return written;
    }

    private static ParsedEvent ReadEvent(byte[] plaintext, DingEventRouter router)
    {
        if (!DingEnvelope.TryRead(plaintext, out var envelope, out _) || envelope.EventTypeUtf8.IsEmpty)
        {
            return default;
        }

        var tag = envelope.EventTypeUtf8;
        if (tag.SequenceEqual("check_url"u8))
        {
            return new ParsedEvent(EventKind.CheckUrl, "check_url", null, envelope.CorpId);
        }

        if (tag.SequenceEqual("check_create_suite_url"u8))
        {
            return new ParsedEvent(EventKind.CheckCreateSuiteUrl, "check_create_suite_url", null, envelope.CorpId);
        }

        if (tag.SequenceEqual("check_update_suite_url"u8))
        {
            return new ParsedEvent(EventKind.CheckUpdateSuiteUrl, "check_update_suite_url", null, envelope.CorpId);
        }

        var eventType = router.GetEventType(tag, out _);
        return new ParsedEvent(EventKind.Event, eventType, envelope.StableId, envelope.CorpId);
    }

    private static bool TryGetSingle(IQueryCollection query, string name, string? fallback, out string value)
    {
        if (query.TryGetValue(name, out var values) || (fallback is not null && query.TryGetValue(fallback, out values)))
        {
            if (values.Count == 1 && !string.IsNullOrEmpty(values[0]))
            {
                value = values[0]!;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    private static async Task RejectAsync(HttpContext http, Dependencies deps, string app, long start, Activity? activity, int status, int errorCode, string reason, string message)
    {
        DingGenLog.CallbackRejected(deps.Logger, app, status, errorCode, message);
        deps.Metrics.Rejected(app, reason);
        activity?.SetTag("dinggen.rejection", reason);
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        Complete(deps, app, start, activity, "rejected");
        await WriteJsonAsync(http, status, ErrorBody(errorCode, message)).ConfigureAwait(false);
    }

    private static void Complete(Dependencies deps, string app, long start, Activity? activity, string outcome)
    {
        activity?.SetTag("dinggen.outcome", outcome);
        deps.Metrics.Duration(app, outcome, deps.TimeProvider.GetElapsedTime(start));
    }

    private static byte[] ErrorBody(int errorCode, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("errcode"u8, errorCode);
            writer.WriteString("errmsg"u8, message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Task WriteJsonAsync(HttpContext http, int status, byte[] json)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, 0, json.Length, CancellationToken.None);
    }

    private enum EventKind
    {
        Invalid,
        Event,
        CheckUrl,
        CheckCreateSuiteUrl,
        CheckUpdateSuiteUrl,
    }

    private readonly record struct ParsedEvent(EventKind Kind, string EventType, string? EventId, string? CorpId);

    /// <summary>Collects each handler's duration for the deadline warning.</summary>
    private sealed class HandlerObserver : IDingHandlerObserver
    {
        private readonly List<(string Handler, TimeSpan Duration, bool Failed)> _handlers = new(2);

        public void OnHandlerCompleted(DingEventContext context, string handlerName, TimeSpan duration, Exception? exception)
        {
            lock (_handlers)
            {
                _handlers.Add((handlerName, duration, exception is not null));
            }
        }

        public string Describe()
        {
            lock (_handlers)
            {
                if (_handlers.Count == 0)
                {
                    return "(none reported)";
                }

                var text = new StringBuilder();
                foreach (var (handler, duration, failed) in _handlers)
                {
                    if (text.Length > 0)
                    {
                        text.Append(", ");
                    }

                    text.Append(handler).Append(' ').Append(Math.Round(duration.TotalMilliseconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" ms");
                    if (failed)
                    {
                        text.Append(" (failed)");
                    }
                }

                return text.ToString();
            }
        }
    }

    private sealed class Dependencies
    {
        public Dependencies(IServiceProvider services)
        {
            Apps = services.GetRequiredService<DingCallbackAppCache>();
            Router = services.GetRequiredService<DingEventRouter>();
            TimeProvider = services.GetRequiredService<TimeProvider>();
            Lifetime = services.GetRequiredService<IHostApplicationLifetime>();
            Metrics = services.GetRequiredService<DingGenMetrics>();
            Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingGenLog.Category);
            Inbox = services.GetService<DingInboxWriter>();
            ReplayGuard = services.GetRequiredService<DingReplayGuard>();
        }

        public DingReplayGuard ReplayGuard { get; }

        /// <summary>The durable inbox, when some app turned it on.</summary>
        public DingInboxWriter? Inbox { get; }

        public DingCallbackAppCache Apps { get; }

        public DingEventRouter Router { get; }

        public TimeProvider TimeProvider { get; }

        public IHostApplicationLifetime Lifetime { get; }

        public DingGenMetrics Metrics { get; }

        public ILogger Logger { get; }
    }
}
