using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using DingGen.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DingGen;

/// <summary>
/// The default <see cref="IDingRobotReplySender"/>, registered by <c>AddDingGen</c> (<see cref="DingGenServiceCollectionExtensions.AddDingGenCore"/>).
/// </summary>
/// <remarks>
/// <para><b>Session webhook.</b> Text, markdown and action cards are posted to the message's <c>sessionWebhook</c> (no token needed)
/// while it is valid: until <c>sessionWebhookExpiredTime</c> minus <see cref="WebhookExpiryMargin"/> (30 s) by the host's
/// <see cref="TimeProvider"/>, so that a reply never races the expiry on the way to DingTalk or a clock a few seconds off. The
/// webhook is called through the <c>IHttpClientFactory</c> client named
/// <see cref="DingGenServiceCollectionExtensions.RobotReplyHttpClientName"/> (30 s timeout) and is never retried: a POST that
/// timed out may have been delivered, and a duplicate message is worse than an error.</para>
/// <para><b>Robot API.</b> When the webhook is missing or expired, and always for an interactive card, the reply goes through the
/// app's robot send API, which <c>DingGen.OpenApi</c> provides (<c>AddDingTalkClient()</c>); without it the send fails with a
/// <see cref="DingRobotReplyException"/> saying so.</para>
/// <para>Every failure (DingTalk's refusal, errcode ≠ 0; an HTTP error; a connection failure or timeout) is a
/// <see cref="DingRobotReplyException"/>. Messages and logs show the webhook without its query: the <c>session</c> in it is a
/// credential of the conversation.</para>
/// </remarks>
internal sealed partial class DingRobotReplySender : IDingRobotReplySender
{
    /// <summary>How long before <c>sessionWebhookExpiredTime</c> the session webhook is no longer used: 30 seconds.</summary>
    public static readonly TimeSpan WebhookExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _timeProvider;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public DingRobotReplySender(IHttpClientFactory httpClients, TimeProvider timeProvider, IServiceProvider services, ILoggerFactory? loggerFactory)
    {
        _httpClients = httpClients;
        _timeProvider = timeProvider;
        _services = services;
        _logger = loggerFactory?.CreateLogger<DingRobotReplySender>() ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task SendAsync(DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        string reason;
        if (reply.Kind == DingRobotReplyKind.InteractiveCard)
        {
            reason = "an interactive card cannot go through a session webhook";
        }
        else if (string.IsNullOrEmpty(message.SessionWebhook))
        {
            reason = "the message has no session webhook";
        }
        else if (!Uri.TryCreate(message.SessionWebhook, UriKind.Absolute, out var webhook) || (webhook.Scheme != Uri.UriSchemeHttps && webhook.Scheme != Uri.UriSchemeHttp))
        {
            reason = "the message's session webhook is not an absolute http(s) URL";
        }
        else if (ExpiresAt(message) is not { } expiresAt)
        {
            reason = "the message has no valid sessionWebhookExpiredTime";
        }
        else if (_timeProvider.GetUtcNow() + WebhookExpiryMargin >= expiresAt)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"its session webhook expires at {expiresAt:O} (replies stop {WebhookExpiryMargin.TotalSeconds:0} s before)");
        }
        else
        {
            await SendThroughWebhookAsync(message, reply, webhook, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendThroughApiAsync(message, reply, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The webhook without its query (the <c>session</c> credential), for messages and logs.</summary>
    internal static string Redact(Uri webhook) =>
        webhook.GetLeftPart(UriPartial.Path) + (webhook.Query.Length > 1 ? "?…" : string.Empty);

    private static DateTimeOffset? ExpiresAt(DingRobotMessage message) =>
        message.SessionWebhookExpiredTime <= 0 || message.SessionWebhookExpiredTime > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() - (long)WebhookExpiryMargin.TotalMilliseconds
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(message.SessionWebhookExpiredTime);

    private async Task SendThroughApiAsync(DingRobotMessage message, DingRobotReply reply, string reason, CancellationToken cancellationToken)
    {
        var api = _services.GetService<IDingRobotApi>();
        if (api is null)
        {
            var text = $"The {Describe(reply)} reply to robot message {message.MsgId} must go through the app's robot send API ({reason}), and none is registered: add the package DingGen.OpenApi and call AddDingTalkClient() on the AddDingGen(...) builder.";
            Log.ReplyFailed(_logger, reply.Kind, message.MsgId, "robot API", "no robot API registered (AddDingTalkClient)");
            throw new DingRobotReplyException(text);
        }

        var started = _timeProvider.GetTimestamp();
        try
        {
            await api.SendAsync(message, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (DingRobotReplyException ex)
        {
            Log.ReplyFailed(_logger, reply.Kind, message.MsgId, "robot API", ex.Message);
            throw;
        }

        Log.ReplySent(_logger, reply.Kind, message.MsgId, "robot API", reason, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task SendThroughWebhookAsync(DingRobotMessage message, DingRobotReply reply, Uri webhook, CancellationToken cancellationToken)
    {
        var redacted = Redact(webhook);
        var started = _timeProvider.GetTimestamp();
        var body = DingRobotReplyJson.WriteWebhookBody(reply);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        string failure;
        Exception? cause = null;
        try
        {
            using var response = await _httpClients.CreateClient(DingGenServiceCollectionExtensions.RobotReplyHttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var (errorCode, errorMessage) = ReadAnswer(bytes);
            if (!response.IsSuccessStatusCode && errorCode is null)
            {
                failure = string.Create(CultureInfo.InvariantCulture, $"the session webhook {redacted} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            else if (errorCode is null)
            {
                failure = $"the session webhook {redacted} answered a body that is not DingTalk's JSON (no errcode)";
            }
            else if (errorCode != 0)
            {
                failure = string.Create(CultureInfo.InvariantCulture, $"DingTalk refused it at the session webhook {redacted}: errcode {errorCode} ({errorMessage})");
            }
            else
            {
                Log.ReplySent(_logger, reply.Kind, message.MsgId, "session webhook", "the session webhook is valid", _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
        }
        catch (HttpRequestException ex)
        {
            cause = ex;
            failure = $"the session webhook {redacted} could not be reached ({ex.HttpRequestError}: {Scrub(ex.Message, webhook)})";
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            cause = ex;
            failure = $"the session webhook {redacted} did not answer in time";
        }

        Log.ReplyFailed(_logger, reply.Kind, message.MsgId, "session webhook", failure);
        var text = $"The {Describe(reply)} reply to robot message {message.MsgId} was not sent: {failure}.";
        throw cause is null ? new DingRobotReplyException(text) : new DingRobotReplyException(text, cause);
    }

    private static string Describe(DingRobotReply reply) => reply.Kind switch
    {
        DingRobotReplyKind.Text => "text",
        DingRobotReplyKind.Markdown => "markdown",
        DingRobotReplyKind.ActionCard => "action card",
        _ => "interactive card",
    };

    /// <summary>Removes the webhook's query and each of its values from <paramref name="text"/> (an exception message from the HTTP stack).</summary>
    private static string Scrub(string text, Uri webhook)
    {
        if (webhook.Query.Length <= 1)
        {
            return text;
        }

        text = text.Replace(webhook.Query, "?…", StringComparison.Ordinal);
        foreach (var pair in webhook.Query[1..].Split('&'))
        {
            var value = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
            if (value.Length >= 4)
            {
                text = text.Replace(value, "…", StringComparison.Ordinal).Replace(Uri.UnescapeDataString(value), "…", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Reads <c>errcode</c>/<c>errmsg</c> of DingTalk's answer; <c>errcode</c> <see langword="null"/> when the body is not its JSON.</summary>
    private static (int? ErrorCode, string ErrorMessage) ReadAnswer(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errcode", out var code))
            {
                return (null, string.Empty);
            }

            int errorCode;
            if (!(code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out errorCode))
                && !(code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out errorCode)))
            {
                return (null, string.Empty);
            }

            var errorMessage = root.TryGetProperty("errmsg", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? string.Empty : string.Empty;
            return (errorCode, errorMessage);
        }
        catch (JsonException)
        {
            return (null, string.Empty);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 701, EventName = "RobotReplySent", Level = LogLevel.Debug,
            Message = "Robot {Kind} reply to message {MsgId} sent through the {Route} ({Why}) in {DurationMs} ms.")]
        public static partial void ReplySent(ILogger logger, DingRobotReplyKind kind, string msgId, string route, string why, double durationMs);

        [LoggerMessage(EventId = 702, EventName = "RobotReplyFailed", Level = LogLevel.Warning,
            Message = "Robot {Kind} reply to message {MsgId} through the {Route} failed: {Failure}.")]
        public static partial void ReplyFailed(ILogger logger, DingRobotReplyKind kind, string msgId, string route, string failure);
    }
}
