using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// The stream-mode adapter of the <see cref="DingDeliveryPipeline"/> for CALLBACK frames: robot messages
/// (<c>/v1.0/im/bot/messages/get</c>) and card callbacks (<c>/v1.0/card/instances/callback</c>), subscribed only when a module has
/// such handlers (<see cref="Topics"/>). Each frame is answered with an acknowledgement carrying the handlers' response:
/// <c>{"response":null}</c> for a robot message (its replies go through <see cref="IDingRobotReplySender"/>), <c>{"response":&lt;card update&gt;}</c>
/// for a card callback. One instance per app, shared by its successive connections, so a robot message that arrives again after a
/// reconnect (same <c>msgId</c>) is acknowledged without running its handlers twice.
/// </summary>
internal sealed class DingStreamCallbackProcessor
{
    /// <summary>How long a handled robot message's <c>msgId</c> is remembered.</summary>
    internal static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);

    /// <summary>At most this many ids are remembered (the oldest are forgotten first).</summary>
    internal const int DuplicateCapacity = 10_000;

    private readonly string _appName;
    private readonly string _displayName;
    private readonly DingDeliveryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DingRecentIds _handledRobotMessages;

    public DingStreamCallbackProcessor(string appName, IServiceProvider services)
    {
        _appName = appName;
        _displayName = DingGenServiceCollectionExtensions.DisplayName(appName);
        _pipeline = services.GetRequiredService<DingDeliveryPipeline>();
        _time = services.GetRequiredService<TimeProvider>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingStreamLog.Category);
        _handledRobotMessages = new DingRecentIds(_time, DuplicateWindow, DuplicateCapacity);
        var router = _pipeline.InteractionRouter;
        var topics = new List<string>(2);
        if (router.HandlesRobotMessages)
        {
            topics.Add(DingInteractionJson.RobotTopic);
        }

        if (router.HandlesCardCallbacks)
        {
            topics.Add(DingInteractionJson.CardTopic);
        }

        Topics = topics;
    }

    /// <summary>The CALLBACK topics the handlers need, in a stable order; empty when no module has robot or card handlers.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>Whether CALLBACK frames of <paramref name="topic"/> go to the handlers (otherwise they are answered <c>{"response":null}</c>).</summary>
    public bool Handles(string topic) => Topics.Contains(topic, StringComparer.Ordinal);

    /// <summary>
    /// Delivers one CALLBACK frame and returns its acknowledgement frame. Never throws: unreadable data is acknowledged with code 400
    /// and no handler runs; a failed handler with code 500.
    /// </summary>
    /// <param name="messageId">The frame's <c>messageId</c>.</param>
    /// <param name="topic">The frame's topic (one of <see cref="Topics"/>).</param>
    /// <param name="data">The frame's <c>data</c> as UTF-8 JSON.</param>
    /// <param name="receivedAt">When the frame was received.</param>
    /// <param name="stoppingToken">The host's stopping token, handed to the handlers.</param>
    public async ValueTask<byte[]> ProcessAsync(string messageId, string topic, byte[] data, DateTimeOffset receivedAt, CancellationToken stoppingToken)
    {
        if (topic == DingInteractionJson.RobotTopic)
        {
            if (!DingInteractionJson.TryReadRobotMessage(data, out var message, out var error))
            {
                return Malformed(messageId, "robot message", error!);
            }

            if (!_handledRobotMessages.TryAdd(message!.MsgId))
            {
                DingStreamLog.CallbackDuplicate(_logger, message.MsgId, messageId, _displayName);
                return DingStreamFrames.WriteAck(messageId, 200, "OK", DingStreamFrames.NullCallbackResponse);
            }

            var result = await _pipeline.DeliverRobotMessageAsync(message, DingDeliveryChannel.Stream, _appName, receivedAt, stoppingToken).ConfigureAwait(false);
            return result.Status == DingDispatchStatus.Failed
                ? DingStreamFrames.WriteAck(messageId, 500, "a robot message handler failed", DingStreamFrames.NullCallbackResponse)
                : DingStreamFrames.WriteAck(messageId, 200, "OK", DingStreamFrames.NullCallbackResponse);
        }
        else
        {
            if (!DingInteractionJson.TryReadCardCallback(data, out var callback, out var error))
            {
                return Malformed(messageId, "card callback", error!);
            }

            var result = await _pipeline.DeliverCardCallbackAsync(callback!, DingDeliveryChannel.Stream, _appName, receivedAt, stoppingToken).ConfigureAwait(false);
            return result.Dispatch.Status == DingDispatchStatus.Failed
                ? DingStreamFrames.WriteAck(messageId, 500, "a card callback handler failed; the card is not updated", DingStreamFrames.NullCallbackResponse)
                : DingStreamFrames.WriteAck(messageId, 200, "OK", DingInteractionJson.WriteStreamResponse(result.Update));
        }
    }

    private byte[] Malformed(string messageId, string what, string error)
    {
        DingStreamLog.MalformedFrame(_logger, _displayName, 0, $"the data of {what} frame {messageId}: {error}; acknowledged with code 400, no handler ran");
        return DingStreamFrames.WriteAck(messageId, 400, "bad request: " + error, DingStreamFrames.NullCallbackResponse);
    }
}

/// <summary>
/// Ids seen within a time window, bounded in number: <see cref="TryAdd"/> is <see langword="false"/> for an id added less than the window
/// ago. Measured on the host's <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
internal sealed class DingRecentIds
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset Expiry)> _order = new();
    private readonly Lock _gate = new();

    public DingRecentIds(TimeProvider time, TimeSpan window, int capacity)
    {
        _time = time;
        _window = window;
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>Remembers <paramref name="id"/>; <see langword="false"/> when it was already remembered and has not expired.</summary>
    public bool TryAdd(string id)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_order.TryPeek(out var oldest) && (oldest.Expiry <= now || _order.Count > _capacity))
            {
                _order.Dequeue();
                if (_expiries.TryGetValue(oldest.Id, out var expiry) && expiry == oldest.Expiry)
                {
                    _expiries.Remove(oldest.Id);
                }
            }

            if (_expiries.TryGetValue(id, out var current) && current > now)
            {
                return false;
            }

            var added = now + _window;
            _expiries[id] = added;
            _order.Enqueue((id, added));
            if (_order.Count > _capacity)
            {
                var oldest = _order.Dequeue();
                if (_expiries.TryGetValue(oldest.Id, out var expiry) && expiry == oldest.Expiry)
                {
                    _expiries.Remove(oldest.Id);
                }
            }

            return true;
        }
    }
}
