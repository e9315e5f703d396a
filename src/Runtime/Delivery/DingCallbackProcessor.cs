using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The HTTP push protocol of one DingTalk app, with no web framework: query values and body bytes in
/// (<see cref="DingCallbackRequest"/>), status and reply bytes out (<see cref="DingCallbackResponse"/>). Body cap → envelope →
/// signature first (constant time) → decrypt and owner-key check → replay guard (opt-in) → handshake events answered → durable inbox
/// (when on) or the <see cref="DingDeliveryPipeline"/> → the encrypted <c>success</c>. A rejected request never reaches a handler.
/// </summary>
/// <remarks>
/// <para>The <c>success</c> reply is sealed with its own timestamp and nonce (DingTalk checks the reply's signature against the values
/// in the reply, not the callback's), and one sealed reply per key set is reused for one second of the host's <see cref="TimeProvider"/>:
/// sealing it afresh for every callback cost a fifth of the endpoint's time.</para>
/// <para><c>MapDingCallback</c> (package DingGen.AspNetCore) is a thin adapter of this class; any other host — an Azure Function, an
/// <c>HttpListener</c>, a test — serves DingTalk the same way: read at most <see cref="MaxBodyBytes"/> + 1 bytes of the body, call
/// <see cref="ProcessAsync"/>, write the status and the body with content type <c>application/json</c>.</para>
/// <para>Statuses: 200 (a verified event, handled or not; a handshake; a duplicate already in the inbox), 400 (900101 query, 900102
/// body, 900104 payload, DingTalk's 9000xx ciphertext codes), 401 (signature 900006, owner key 900010; with the replay guard 900111
/// timestamp, 900112 replay), 413 (900103), 500 (900105 a handler failed, 900106 configuration, 900120 inbox unavailable): DingTalk
/// redelivers anything but 200.</para>
/// </remarks>
public sealed class DingCallbackProcessor
{
    private readonly string _appName;
    private readonly string _displayName;
    private readonly DingCallbackAppCache _apps;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly DingGenMetrics _metrics;
    private readonly ILogger _logger;
    private readonly DingInboxWriter? _inbox;
    private readonly DingReplayGuard _replayGuard;
    private readonly IHostApplicationLifetime? _lifetime;

    /// <summary>
    /// Creates the processor of app <paramref name="appName"/> (registered with <c>AddDingGen</c>) and marks the app as served over HTTP,
    /// so start-up validation requires its Token and AesKey.
    /// </summary>
    /// <param name="services">The host's root service provider.</param>
    /// <param name="appName">The app's <c>AddDingGen</c> name; <see cref="DingGenServiceCollectionExtensions.DefaultAppName"/> for the default app.</param>
    /// <exception cref="InvalidOperationException">The app was not added with <c>AddDingGen</c>, or no module's handlers are registered.</exception>
    public DingCallbackProcessor(IServiceProvider services, string appName = DingGenServiceCollectionExtensions.DefaultAppName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(appName);
        var registry = services.GetService<DingGenAppRegistry>();
        if (registry is null || !registry.IsApp(appName))
        {
            throw new InvalidOperationException(appName.Length == 0
                ? "DingGen: serving DingTalk callbacks needs the default DingTalk app; call services.AddDingGen(builder.Configuration.GetSection(\"DingGen\")) first."
                : $"DingGen: serving DingTalk callbacks for '{appName}' needs that app; call services.AddDingGen(\"{appName}\", section) first.");
        }

        if (!HasDispatcher(services))
        {
            throw new InvalidOperationException(
                "DingGen: no IDingEventDispatcher is registered, so no event could ever be handled. " +
                "Call services.AddDingEventHandlers() (generated in each assembly with [DingEvent] methods) or services.AddDingModule<TModule>() before building the host.");
        }

        registry.MarkMapped(appName);

        // Options read before this point were validated without the Token/AesKey requirement: drop them so validation sees it.
        services.GetService<IOptionsMonitorCache<DingGenOptions>>()?.TryRemove(appName);

        _appName = appName;
        _displayName = DingGenServiceCollectionExtensions.DisplayName(appName);
        _apps = services.GetRequiredService<DingCallbackAppCache>();
        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        _time = services.GetRequiredService<TimeProvider>();
        _metrics = services.GetRequiredService<DingGenMetrics>();
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(DingGenLog.Category);
        _inbox = services.GetService<DingInboxWriter>();
        _replayGuard = services.GetRequiredService<DingReplayGuard>();
        _lifetime = services.GetService<IHostApplicationLifetime>();
    }

    /// <summary>The app this processor serves (its <c>AddDingGen</c> name; empty for the default app).</summary>
    public string AppName => _appName;

    /// <summary>
    /// The largest body accepted (<c>DingGen:MaxBodyBytes</c>): read at most this + 1 bytes and pass them on; a longer body is answered 413.
    /// </summary>
    public int MaxBodyBytes
    {
        get
        {
            try
            {
                return _apps.Get(_appName).Options.MaxBodyBytes;
            }
            catch (OptionsValidationException)
            {
                // ProcessAsync answers 500/900106 for an invalid configuration; any small cap will do until then.
                return DingGenOptions.DefaultMaxBodyBytes;
            }
        }
    }

    /// <summary>Processes one callback. Never throws for bad input: every rejection is a response with DingTalk-style error JSON.</summary>
    /// <param name="request">The query values and body.</param>
    /// <param name="cancellationToken">Handed to the handlers when the host has no <see cref="IHostApplicationLifetime"/>; otherwise the
    /// handlers get the host's stopping token (a client that hangs up does not cancel a handler half-way).</param>
    public async ValueTask<DingCallbackResponse> ProcessAsync(DingCallbackRequest request, CancellationToken cancellationToken = default)
    {
        var start = _time.GetTimestamp();
        var receivedAt = _time.GetUtcNow();
        _metrics.Received(_displayName);
        using var activity = DingGenDiagnostics.ActivitySource.StartActivity(DingGenDiagnostics.CallbackActivityName, ActivityKind.Internal);
        activity?.SetTag("dinggen.app", _displayName);

        DingCallbackApp app;
        try
        {
            app = _apps.Get(_appName);
        }
        catch (OptionsValidationException ex)
        {
            DingGenLog.ConfigurationInvalid(_logger, _displayName, string.Join(" ", ex.Failures));
            return Reject(start, activity, 500, (int)DingCallbackErrorCode.ConfigurationInvalid, "configuration", "the DingTalk app's configuration is invalid");
        }

        // 1. Query: signature, timestamp, nonce, each exactly once.
        if (request.Signature is not { Length: > 0 } signature || request.Timestamp is not { Length: > 0 } timestamp || request.Nonce is not { Length: > 0 } nonce)
        {
            return Reject(start, activity, 400, (int)DingCallbackErrorCode.InvalidQuery, "query", "the query needs exactly one signature (or msg_signature), timestamp (or timeStamp) and nonce");
        }

        // 2. Body cap.
        var body = request.Body.Span;
        if (request.BodyTooLarge || body.Length > app.Options.MaxBodyBytes)
        {
            return Reject(start, activity, 413, (int)DingCallbackErrorCode.BodyTooLarge, "body_too_large", "the request body is larger than the configured MaxBodyBytes");
        }

        // 3. Envelope {"encrypt":"..."}.
        var encrypt = ArrayPool<char>.Shared.Rent(Math.Max(body.Length, 1));
        try
        {
            var encryptLength = TryReadEncrypt(body, encrypt);
            if (encryptLength < 0)
            {
                return Reject(start, activity, 400, (int)DingCallbackErrorCode.MalformedBody, "body", "the body must be a JSON object with a string member encrypt");
            }

            // 4. Signature first, then decrypt and owner key.
            var ciphertext = encrypt.AsSpan(0, encryptLength);
            var code = app.TryDecrypt(signature, timestamp, nonce, ciphertext, _time, out var plaintext, out var crypto);
            var underPlaceholder = false;
            if (code == DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError && app.PlaceholderCrypto is { } placeholder
                && placeholder.TryDecrypt(signature, timestamp, nonce, ciphertext, out var placeholderText) == DingCryptoErrorCode.None)
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
                    DingCryptoErrorCode.ComputeSignatureError or DingCryptoErrorCode.SignatureNotMatch => (401, "signature"),
                    DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError => (401, "owner_key"),
                    _ => (400, "ciphertext"),
                };
                return Reject(start, activity, status, (int)code, reason, DingCryptoErrors.Describe(code));
            }

            // 4b. Replay guard (opt-in), only for a verified request so that forgeries never enter its cache.
            var (replay, replayMessage) = await _replayGuard.CheckAsync(app, signature, timestamp, cancellationToken).ConfigureAwait(false);
            if (replay != DingReplayVerdict.Accepted)
            {
                var (replayCode, replayReason) = replay == DingReplayVerdict.Replayed ? (DingCallbackErrorCode.ReplayRejected, "replay") : (DingCallbackErrorCode.TimestampRejected, "timestamp");
                return Reject(start, activity, 401, (int)replayCode, replayReason, replayMessage);
            }

            // 5. The plaintext's envelope: EventType, eventId/BizId, CorpId.
            if (!DingEnvelope.TryRead(plaintext!, out var envelope, out _) || envelope.EventTypeUtf8.IsEmpty)
            {
                return Reject(start, activity, 400, (int)DingCallbackErrorCode.InvalidPayload, "payload", "the decrypted payload is not a JSON object with a string EventType");
            }

            var handshake = DingHandshakeEvents.Match(envelope.EventTypeUtf8);
            if (underPlaceholder && handshake != DingEventTypes.CheckCreateSuiteUrl)
            {
                return Reject(start, activity, 401, (int)DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError, "owner_key_placeholder", "the suite-creation placeholder owner key is accepted only for check_create_suite_url");
            }

            // 6. Handshakes are answered by the host itself.
            if (handshake is not null)
            {
                activity?.SetTag("dinggen.event_type", handshake);
                DingGenLog.UrlValidationAnswered(_logger, _displayName, handshake);
                return Complete(start, activity, "validated", 200, crypto.SuccessReplyUtf8Json(_time));
            }

            var eventType = _pipeline.Router.GetEventType(envelope.EventTypeUtf8, out _);
            activity?.SetTag("dinggen.event_type", eventType);

            // 7a. Durable inbox: store the sealed delivery, answer at once; the inbox worker delivers it.
            if (_inbox is { } inbox && inbox.ShouldStore(_appName, eventType))
            {
                var sealedMessage = new DingSealedMessage(signature, timestamp, nonce, new string(encrypt, 0, encryptLength));
                var added = await inbox.AcceptHttpPushAsync(_appName, eventType, envelope.StableId, envelope.CorpId, plaintext!, sealedMessage, receivedAt).ConfigureAwait(false);
                if (added is null)
                {
                    await _replayGuard.ForgetAsync(app, signature).ConfigureAwait(false);
                    activity?.SetStatus(ActivityStatusCode.Error);
                    return Complete(start, activity, "inbox_failed", 500, ErrorBody((int)DingCallbackErrorCode.InboxUnavailable, "the event could not be stored; DingTalk will redeliver it"));
                }

                return Complete(start, activity, added == DingInboxAddResult.Added ? "enqueued" : "duplicate", 200, crypto.SuccessReplyUtf8Json(_time));
            }

            // 7b. Deliver now. Handlers get the host's stopping token, not the request's abort token.
            var delivery = new DingDelivery(eventType, plaintext)
            {
                Channel = DingDeliveryChannel.HttpPush,
                AppName = _appName,
                EventId = envelope.StableId,
                CorpId = envelope.CorpId,
                ReceivedAt = receivedAt,
            };
            var result = await _pipeline.DeliverAsync(delivery, _lifetime?.ApplicationStopping ?? cancellationToken).ConfigureAwait(false);
            if (result.Status == DingDispatchStatus.Failed)
            {
                await _replayGuard.ForgetAsync(app, signature).ConfigureAwait(false);
                activity?.SetStatus(ActivityStatusCode.Error);
                return Complete(start, activity, "failed", 500, ErrorBody((int)DingCallbackErrorCode.HandlerFailed, "a handler failed; DingTalk will redeliver the event"));
            }

            var outcome = result.Status == DingDispatchStatus.Handled ? "handled" : "unhandled";
            return Complete(start, activity, outcome, 200, crypto.SuccessReplyUtf8Json(_time));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(encrypt);
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

    private DingCallbackResponse Reject(long start, Activity? activity, int status, int errorCode, string reason, string message)
    {
        DingGenLog.CallbackRejected(_logger, _displayName, status, errorCode, message);
        _metrics.Rejected(_displayName, reason);
        activity?.SetTag("dinggen.rejection", reason);
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        return Complete(start, activity, "rejected", status, ErrorBody(errorCode, message));
    }

    private DingCallbackResponse Complete(long start, Activity? activity, string outcome, int status, byte[] body)
    {
        activity?.SetTag("dinggen.outcome", outcome);
        _metrics.Duration(_displayName, outcome, _time.GetElapsedTime(start));
        return new DingCallbackResponse(status, body);
    }

    private static byte[] ErrorBody(int errorCode, string message) => ReplyWriter.WriteError(errorCode, message);

    private static bool HasDispatcher(IServiceProvider services)
    {
        if (services.GetService<IServiceProviderIsService>() is { } isService)
        {
            return isService.IsService(typeof(IDingEventDispatcher));
        }

        return services.GetService<DingEventRouter>() is { Dispatchers.Count: > 0 };
    }
}
