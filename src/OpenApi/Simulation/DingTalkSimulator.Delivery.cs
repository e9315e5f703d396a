using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DingGen.Testing;

public sealed partial class DingTalkSimulator
{
    private readonly ConcurrentQueue<DingTalkFailedDelivery> _failedEvents = new();

    /// <summary>
    /// The events <see cref="DeliverAsync"/> gave up on (every attempt failed), in the order they failed: what DingTalk
    /// would put on the failed-event list (<c>call_back/get_call_back_failed_result</c>).
    /// </summary>
    public IReadOnlyCollection<DingTalkFailedDelivery> FailedEvents => _failedEvents;

    /// <summary>
    /// Called for every event <see cref="DeliverAsync"/> gives up on, after it is added to <see cref="FailedEvents"/>: for
    /// example <c>failed => fakeServer.EnqueueFailedEventJson(failed.ToFailedListEntryJson())</c>, so the failed-result pull of a fake DingTalk server returns it.
    /// </summary>
    public Action<DingTalkFailedDelivery>? FailedEventSink { get; init; }

    /// <summary>
    /// Delivers <paramref name="payloadJson"/> as DingTalk does: posts it encrypted and signed, and when the reply is not the
    /// encrypted <c>success</c> (a status other than 200, a wrong or unsigned reply, no reply within
    /// <see cref="DingTalkDeliveryOptions.ResponseTimeout"/>, or a connection failure) redelivers it on DingTalk's schedule
    /// (spec 2.4: 10 s after the failure, then 30 s after that). When the last attempt fails too, the event is added to
    /// <see cref="FailedEvents"/> and handed to <see cref="FailedEventSink"/>.
    /// </summary>
    /// <remarks>
    /// Every wait (the redelivery delays and the response deadline) runs on the simulator's <see cref="TimeProvider"/>.
    /// With a <c>FakeTimeProvider</c> a test advances time instead of waiting: <see cref="DingTalkDeliveryOptions.RetryScheduled"/>
    /// is called once the delay is armed, so advancing the clock from there releases the retry:
    /// <code>
    /// var time = new FakeTimeProvider();
    /// var dingtalk = new DingTalkSimulator(token, aesKey, ownerKey, time);
    /// var armed = new SemaphoreSlim(0);
    /// var delivery = dingtalk.DeliverAsync(client, "/dingtalk/callback", json, new() { RetryScheduled = _ => armed.Release() });
    /// await armed.WaitAsync(TimeSpan.FromSeconds(10));
    /// time.Advance(TimeSpan.FromSeconds(10));   // the first redelivery goes out
    /// </code>
    /// The returned report lists every attempt. The method throws only for cancellation and invalid arguments.
    /// </remarks>
    /// <param name="client">The client to post with (for example <c>WebApplicationFactory.CreateClient()</c>).</param>
    /// <param name="path">The callback path relative to the client's base address, or an absolute URL.</param>
    /// <param name="payloadJson">The plaintext event JSON.</param>
    /// <param name="options">Schedule and deadline; DingTalk's when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the delivery (including a pending redelivery).</param>
    public async Task<DingTalkDeliveryReport> DeliverAsync(
        HttpClient client,
        string path,
        string payloadJson,
        DingTalkDeliveryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(payloadJson);
        options ??= DingTalkDeliveryOptions.Default;
        foreach (var delay in options.RetryDelays)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(options));
        }

        var eventType = ReadEventType(payloadJson);
        var eventTime = _timeProvider.GetUtcNow();
        var attempts = new List<DingTalkDeliveryAttempt>(options.RetryDelays.Count + 1);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(client, path, payloadJson, attempt, options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            attempts.Add(outcome);
            if (outcome.IsSuccessReply || attempt > options.RetryDelays.Count)
            {
                break;
            }

            // Arm the delay before telling anyone, so a test that advances a fake clock from the callback releases it.
            var delay = options.RetryDelays[attempt - 1];
            var wait = Task.Delay(delay, _timeProvider, cancellationToken);
            options.RetryScheduled?.Invoke(new DingTalkRetryScheduled(outcome, attempt + 1, _timeProvider.GetUtcNow() + delay));
            await wait.ConfigureAwait(false);
        }

        var report = new DingTalkDeliveryReport(eventType, payloadJson, eventTime, attempts);
        if (!report.Delivered)
        {
            var failed = new DingTalkFailedDelivery(eventType, payloadJson, eventTime, report);
            _failedEvents.Enqueue(failed);
            FailedEventSink?.Invoke(failed);
        }

        return report;
    }

    private async Task<DingTalkDeliveryAttempt> AttemptAsync(HttpClient client, string path, string payloadJson, int number, TimeSpan? responseTimeout, CancellationToken cancellationToken)
    {
        var at = _timeProvider.GetUtcNow();
        using var deadline = responseTimeout is { } timeout
            ? new CancellationTokenSource(timeout, _timeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = CreateRequest(path, payloadJson);
            var result = await SendAsync(client, request, linked.Token).ConfigureAwait(false);
            string? failure = null;
            if (!result.IsSuccessReply)
            {
                failure = result.StatusCode != HttpStatusCode.OK
                    ? $"HTTP {(int)result.StatusCode}{(result.ErrorCode is { } code ? " errcode " + code.ToString(CultureInfo.InvariantCulture) : string.Empty)}"
                    : "the reply is not the encrypted success";
            }

            return new DingTalkDeliveryAttempt(number, at, result.StatusCode, result.IsSuccessReply, result.ErrorCode, failure, result.Body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            var ms = responseTimeout!.Value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
            return new DingTalkDeliveryAttempt(number, at, null, false, null, $"no reply within {ms} ms", null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout elapsed.
            return new DingTalkDeliveryAttempt(number, at, null, false, null, "no reply before the HTTP client's timeout", null);
        }
        catch (HttpRequestException ex)
        {
            return new DingTalkDeliveryAttempt(number, at, null, false, null, $"request failed: {ex.Message}", null);
        }
    }

    private static string? ReadEventType(string payloadJson)
    {
        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (string.Equals(property.Name, "EventType", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        return property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: a test of the host's rejection; there is no tag to report.
        }

        return null;
    }
}

/// <summary>How <see cref="DingTalkSimulator.DeliverAsync"/> delivers: DingTalk's schedule unless changed.</summary>
public sealed record DingTalkDeliveryOptions
{
    /// <summary>DingTalk's own: redeliveries 10 s and then 30 s after a failure, a 1500 ms response deadline.</summary>
    public static DingTalkDeliveryOptions Default { get; } = new();

    /// <summary>
    /// The delay before each redelivery, counted from the failure before it. DingTalk: 10 s, then 30 s (spec 2.4), so an
    /// event is attempted three times. Empty: a single attempt.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>
    /// How long an attempt may take before it counts as failed (DingTalk: 1500 ms), measured on the simulator's clock;
    /// <see langword="null"/> waits for the HTTP client's own timeout.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>
    /// Called after a failed attempt once the redelivery's delay is armed on the simulator's clock (a test with a
    /// <c>FakeTimeProvider</c> advances time from here). Runs on the delivering task; keep it short.
    /// </summary>
    public Action<DingTalkRetryScheduled>? RetryScheduled { get; init; }
}

/// <summary>A redelivery <see cref="DingTalkSimulator.DeliverAsync"/> is waiting for.</summary>
/// <param name="FailedAttempt">The attempt that failed.</param>
/// <param name="NextAttempt">The number of the coming attempt (2 for the first redelivery).</param>
/// <param name="DueAt">When the redelivery goes out, on the simulator's clock.</param>
public sealed record DingTalkRetryScheduled(DingTalkDeliveryAttempt FailedAttempt, int NextAttempt, DateTimeOffset DueAt);

/// <summary>One attempt of a delivery.</summary>
/// <param name="Number">1 for the first delivery, 2 and 3 for the redeliveries.</param>
/// <param name="At">When the attempt was sent, on the simulator's clock.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no reply came (timeout, connection failure).</param>
/// <param name="IsSuccessReply">Whether the reply was the encrypted <c>success</c>: DingTalk counts the event as delivered.</param>
/// <param name="ErrorCode">The <c>errcode</c> of an error body, else <see langword="null"/>.</param>
/// <param name="Failure">Why the attempt failed, in words; <see langword="null"/> when it succeeded.</param>
/// <param name="Body">The reply body, or <see langword="null"/> when no reply came.</param>
public sealed record DingTalkDeliveryAttempt(int Number, DateTimeOffset At, HttpStatusCode? StatusCode, bool IsSuccessReply, int? ErrorCode, string? Failure, string? Body);

/// <summary>Everything that happened to one event delivered with <see cref="DingTalkSimulator.DeliverAsync"/>.</summary>
/// <param name="EventType">The payload's <c>EventType</c>, or <see langword="null"/> when it has none.</param>
/// <param name="PayloadJson">The plaintext that was delivered.</param>
/// <param name="EventTime">When the event happened (the first attempt), on the simulator's clock.</param>
/// <param name="Attempts">Every attempt, in order; never empty.</param>
public sealed record DingTalkDeliveryReport(string? EventType, string PayloadJson, DateTimeOffset EventTime, IReadOnlyList<DingTalkDeliveryAttempt> Attempts)
{
    /// <summary>Whether an attempt got the encrypted <c>success</c> (the last one, since delivery stops there).</summary>
    public bool Delivered => Attempts.Count > 0 && Attempts[^1].IsSuccessReply;

    /// <summary>Whether every attempt failed, so DingTalk would put the event on its failed-event list.</summary>
    public bool WentToFailedList => !Delivered;
}

/// <summary>An event every attempt of <see cref="DingTalkSimulator.DeliverAsync"/> failed for.</summary>
/// <param name="EventType">The payload's <c>EventType</c>, or <see langword="null"/> when it has none.</param>
/// <param name="PayloadJson">The plaintext that could not be delivered.</param>
/// <param name="EventTime">When the event happened (the first attempt).</param>
/// <param name="Report">The attempts.</param>
public sealed record DingTalkFailedDelivery(string? EventType, string PayloadJson, DateTimeOffset EventTime, DingTalkDeliveryReport Report)
{
    /// <summary>
    /// The entry DingTalk's failed list shows for this event (<see cref="DingTalkFailedListEntry.Create"/>), e.g. for
    /// <c>FailedEventSink = failed => fakeServer.EnqueueFailedEventJson(failed.ToFailedListEntryJson())</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The payload has no <c>EventType</c> or is not a JSON object.</exception>
    public string ToFailedListEntryJson()
    {
        if (EventType is null)
        {
            throw new InvalidOperationException("The payload has no EventType, so DingTalk's failed list could not name it.");
        }

        try
        {
            return DingTalkFailedListEntry.Create(EventType, PayloadJson, EventTime);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }
}
