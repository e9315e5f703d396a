using DingGen.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>What a <see cref="DingInteractionProcessor"/> receives: robot messages or card callbacks.</summary>
public enum DingInteractionKind
{
    /// <summary>Messages to the app's chat robot (<see cref="DingRobotMessageAttribute"/> handlers).</summary>
    RobotMessage = 0,

    /// <summary>Interactive card callbacks (<see cref="DingCardCallbackAttribute"/> handlers).</summary>
    CardCallback = 1,
}

/// <summary>
/// An HTTP robot message or card callback as DingTalk sent it, without any web framework: the two signature headers and the body.
/// </summary>
/// <param name="Timestamp">The <c>timestamp</c> header (Unix milliseconds); <see langword="null"/> when missing or given more than once.</param>
/// <param name="Sign">The <c>sign</c> header; <see langword="null"/> when missing or given more than once.</param>
/// <param name="Body">The request body (plain JSON), read with a cap of <see cref="DingInteractionProcessor.MaxBodyBytes"/> + 1 bytes.</param>
public readonly record struct DingInteractionRequest(string? Timestamp, string? Sign, ReadOnlyMemory<byte> Body)
{
    /// <summary>Set by a host that stopped reading because the body is longer than <see cref="DingInteractionProcessor.MaxBodyBytes"/>: answered 413.</summary>
    public bool BodyTooLarge { get; init; }
}

/// <summary>
/// DingTalk's HTTP robot messages or card callbacks for one app, with no web framework: headers and body bytes in
/// (<see cref="DingInteractionRequest"/>), status and JSON body out (<see cref="DingCallbackResponse"/>). Signature first (constant
/// time, key <c>AppSecret</c>, refused more than an hour off the host's <see cref="TimeProvider"/>) → body cap → JSON → the
/// <see cref="DingDeliveryPipeline"/>. A rejected request never reaches a handler.
/// </summary>
/// <remarks>
/// <para>Answers (all <c>application/json</c>):</para>
/// <list type="table">
/// <listheader><term>status</term><description>when (body)</description></listheader>
/// <item><term>200</term><description>the handlers ran, or none matched. Robot messages: <c>{}</c> (replies go through
/// <see cref="IDingRobotReplySender"/> before the answer). Card callbacks: the merged card update
/// <c>{"cardData":{"cardParamMap":{…}},"privateData":{"&lt;userId&gt;":{"cardParamMap":{…}}}}</c>, or <c>{}</c> when no handler returned one.</description></item>
/// <item><term>400</term><description>900133: the body is not JSON, not an object, or lacks the required members (<c>msgId</c> and
/// <c>msgtype</c>; <c>outTrackId</c>).</description></item>
/// <item><term>401</term><description>900130 the <c>timestamp</c> or <c>sign</c> header is missing; 900131 the timestamp is not Unix
/// milliseconds or more than an hour off (either direction).</description></item>
/// <item><term>403</term><description>900132: the <c>sign</c> header is not the app's signature.</description></item>
/// <item><term>413</term><description>900103: the body is larger than <see cref="DingGenOptions.MaxBodyBytes"/>.</description></item>
/// <item><term>500</term><description>900105 a handler failed (robot messages are not redelivered; a card is not updated); 900106 the app's
/// configuration is invalid (no <c>AppSecret</c>).</description></item>
/// </list>
/// <para>Error bodies are <c>{"errcode":…,"errmsg":"…"}</c>. Rejections are logged (category <c>DingGen.Callback</c>) without the body,
/// the secret or the signature.</para>
/// </remarks>
public sealed class DingInteractionProcessor
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly string _appName;
    private readonly string _displayName;
    private readonly DingInteractionKind _kind;
    private readonly IOptionsMonitor<DingGenOptions> _options;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly DingGenMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime? _lifetime;

    /// <summary>
    /// Creates the processor of <paramref name="kind"/> for app <paramref name="appName"/> (registered with <c>AddDingGen</c>) and marks
    /// the app as serving robot or card requests, so start-up validation requires its <c>AppSecret</c>.
    /// </summary>
    /// <param name="services">The host's root service provider.</param>
    /// <param name="kind">Robot messages or card callbacks.</param>
    /// <param name="appName">The app's <c>AddDingGen</c> name; <see cref="DingGenServiceCollectionExtensions.DefaultAppName"/> for the default app.</param>
    /// <exception cref="InvalidOperationException">The app was not added with <c>AddDingGen</c>, or no registered module has handlers of <paramref name="kind"/>.</exception>
    public DingInteractionProcessor(IServiceProvider services, DingInteractionKind kind, string appName = DingGenServiceCollectionExtensions.DefaultAppName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(appName);
        var what = kind == DingInteractionKind.RobotMessage ? "robot messages" : "card callbacks";
        var registry = services.GetService<DingGenAppRegistry>();
        if (registry is null || !registry.IsApp(appName))
        {
            throw new InvalidOperationException(appName.Length == 0
                ? $"DingGen: serving DingTalk {what} needs the default DingTalk app; call services.AddDingGen(builder.Configuration.GetSection(\"DingGen\")) first."
                : $"DingGen: serving DingTalk {what} for '{appName}' needs that app; call services.AddDingGen(\"{appName}\", section) first.");
        }

        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        var handles = kind == DingInteractionKind.RobotMessage ? _pipeline.InteractionRouter.HandlesRobotMessages : _pipeline.InteractionRouter.HandlesCardCallbacks;
        if (!handles)
        {
            var attribute = kind == DingInteractionKind.RobotMessage ? "[DingRobotMessage]" : "[DingCardCallback]";
            throw new InvalidOperationException(
                $"DingGen: no registered module has {attribute} handlers, so no {what} could ever be handled. " +
                $"Call services.AddDingEventHandlers() (generated in each assembly with {attribute} methods) or services.AddDingModule<TModule>() before building the host.");
        }

        registry.MarkInteractionMapped(appName);

        // Options read before this point were validated without the AppSecret requirement: drop them so validation sees it.
        services.GetService<IOptionsMonitorCache<DingGenOptions>>()?.TryRemove(appName);

        _appName = appName;
        _displayName = DingGenServiceCollectionExtensions.DisplayName(appName);
        _kind = kind;
        _options = services.GetRequiredService<IOptionsMonitor<DingGenOptions>>();
        _time = services.GetRequiredService<TimeProvider>();
        _metrics = services.GetRequiredService<DingGenMetrics>();
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(DingGenLog.Category);
        _lifetime = services.GetService<IHostApplicationLifetime>();
    }

    /// <summary>The app this processor serves (its <c>AddDingGen</c> name; empty for the default app).</summary>
    public string AppName => _appName;

    /// <summary>What this processor receives.</summary>
    public DingInteractionKind Kind => _kind;

    /// <summary>The largest body accepted (<c>DingGen:MaxBodyBytes</c>): read at most this + 1 bytes and pass them on; a longer body is answered 413.</summary>
    public int MaxBodyBytes
    {
        get
        {
            try
            {
                return _options.Get(_appName).MaxBodyBytes;
            }
            catch (OptionsValidationException)
            {
                return DingGenOptions.DefaultMaxBodyBytes;
            }
        }
    }

    /// <summary>Processes one request. Never throws for bad input: every rejection is a response with an error JSON.</summary>
    /// <param name="request">The headers and body.</param>
    /// <param name="cancellationToken">Handed to the handlers when the host has no <see cref="IHostApplicationLifetime"/>; otherwise the
    /// handlers get the host's stopping token (a client that hangs up does not cancel a handler half-way).</param>
    public async ValueTask<DingCallbackResponse> ProcessAsync(DingInteractionRequest request, CancellationToken cancellationToken = default)
    {
        var start = _time.GetTimestamp();
        var receivedAt = _time.GetUtcNow();
        _metrics.Received(_displayName);

        DingGenOptions options;
        try
        {
            options = _options.Get(_appName);
        }
        catch (OptionsValidationException ex)
        {
            DingGenLog.ConfigurationInvalid(_logger, _displayName, string.Join(" ", ex.Failures));
            return Reject(start, 500, DingCallbackErrorCode.ConfigurationInvalid, "configuration", "the DingTalk app's configuration is invalid");
        }

        if (string.IsNullOrWhiteSpace(options.AppSecret))
        {
            DingGenLog.ConfigurationInvalid(_logger, _displayName, "AppSecret is not set; it is the key of the robot and card request signature.");
            return Reject(start, 500, DingCallbackErrorCode.ConfigurationInvalid, "configuration", "the DingTalk app's configuration is invalid");
        }

        // 1. Signature first: nothing of the body is read before the request is known to come from DingTalk.
        switch (DingRobotSignature.Verify(options.AppSecret, request.Timestamp, request.Sign, receivedAt))
        {
            case DingRobotSignatureStatus.Valid:
                break;
            case DingRobotSignatureStatus.Missing:
                return Reject(start, 401, DingCallbackErrorCode.SignatureHeadersMissing, "sign_missing", "the request needs exactly one timestamp and one sign header");
            case DingRobotSignatureStatus.MalformedTimestamp:
                return Reject(start, 401, DingCallbackErrorCode.SignatureTimestampRejected, "sign_timestamp", "the timestamp header is not Unix milliseconds");
            case DingRobotSignatureStatus.Stale:
                return Reject(start, 401, DingCallbackErrorCode.SignatureTimestampRejected, "sign_timestamp", "the timestamp header is more than one hour from the server's clock");
            default:
                return Reject(start, 403, DingCallbackErrorCode.SignatureMismatch, "sign_mismatch", "the sign header does not match the app's AppSecret");
        }

        // 2. Body cap.
        if (request.BodyTooLarge || request.Body.Length > options.MaxBodyBytes)
        {
            return Reject(start, 413, DingCallbackErrorCode.BodyTooLarge, "body_too_large", "the request body is larger than the configured MaxBodyBytes");
        }

        // 3. JSON, then the pipeline. Handlers get the host's stopping token, not the request's abort token.
        var handlerToken = _lifetime?.ApplicationStopping ?? cancellationToken;
        if (_kind == DingInteractionKind.RobotMessage)
        {
            if (!DingInteractionJson.TryReadRobotMessage(request.Body.Span, out var message, out var error))
            {
                return Reject(start, 400, DingCallbackErrorCode.InvalidInteraction, "interaction_body", error!);
            }

            var result = await _pipeline.DeliverRobotMessageAsync(message!, DingDeliveryChannel.HttpPush, _appName, receivedAt, handlerToken).ConfigureAwait(false);
            return result.Status == DingDispatchStatus.Failed
                ? Complete(start, "failed", 500, ReplyWriter.WriteError((int)DingCallbackErrorCode.HandlerFailed, "a robot message handler failed"))
                : Complete(start, result.Status == DingDispatchStatus.Handled ? "handled" : "unhandled", 200, EmptyObject);
        }
        else
        {
            if (!DingInteractionJson.TryReadCardCallback(request.Body.Span, out var callback, out var error))
            {
                return Reject(start, 400, DingCallbackErrorCode.InvalidInteraction, "interaction_body", error!);
            }

            var result = await _pipeline.DeliverCardCallbackAsync(callback!, DingDeliveryChannel.HttpPush, _appName, receivedAt, handlerToken).ConfigureAwait(false);
            return result.Dispatch.Status == DingDispatchStatus.Failed
                ? Complete(start, "failed", 500, ReplyWriter.WriteError((int)DingCallbackErrorCode.HandlerFailed, "a card callback handler failed; the card is not updated"))
                : Complete(start, result.Dispatch.Status == DingDispatchStatus.Handled ? "handled" : "unhandled", 200, DingInteractionJson.WriteCardUpdate(result.Update));
        }
    }

    private DingCallbackResponse Reject(long start, int status, DingCallbackErrorCode code, string reason, string message)
    {
        DingGenLog.InteractionRejected(_logger, _kind == DingInteractionKind.RobotMessage ? "robot message" : "card callback", _displayName, status, (int)code, message);
        _metrics.Rejected(_displayName, reason);
        return Complete(start, "rejected", status, ReplyWriter.WriteError((int)code, message));
    }

    private DingCallbackResponse Complete(long start, string outcome, int status, byte[] body)
    {
        _metrics.Duration(_displayName, outcome, _time.GetElapsedTime(start));
        return new DingCallbackResponse(status, body);
    }
}
