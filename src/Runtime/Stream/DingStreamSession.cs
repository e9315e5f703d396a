using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>Why a Stream connection's receive loop ended.</summary>
internal enum DingStreamSessionEnd
{
    /// <summary>The server closed the WebSocket.</summary>
    Closed = 0,

    /// <summary>The connection failed (reset, protocol error, keep-alive timeout).</summary>
    Failed = 1,

    /// <summary>Nothing was received for <see cref="DingStreamOptions.SilenceTimeout"/>; the connection was aborted.</summary>
    Silent = 2,

    /// <summary>The client stopped reading (shutdown or rotation after <c>disconnect</c>).</summary>
    Stopped = 3,
}

/// <summary>
/// One WebSocket connection to the Stream gateway: reads frames (assembling multi-frame messages), answers <c>ping</c>,
/// reports <c>disconnect</c>, hands EVENT frames to <see cref="DingStreamEventProcessor"/> and the CALLBACK frames the handlers take
/// (robot messages, card callbacks) to <see cref="DingStreamCallbackProcessor"/>, and sends their acknowledgements.
/// Events go through a bounded channel read by <see cref="DingStreamOptions.MaxConcurrentEvents"/> workers: at most that many
/// run at once, and when every worker is busy and the channel is full the receive loop waits (back-pressure). A watchdog on
/// the host's <see cref="TimeProvider"/> aborts the connection when nothing at all has been received for the silence timeout.
/// </summary>
internal sealed class DingStreamSession : IAsyncDisposable
{
    /// <summary>The largest message accepted; a larger one is skipped and logged (DingTalk events are a few KiB).</summary>
    internal const int MaxMessageBytes = 1024 * 1024;

    private readonly string _app;
    private readonly DingStreamEventProcessor _processor;
    private readonly DingStreamCallbackProcessor? _callbacks;
    private readonly DingStreamMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DingStreamOptions _options;
    private readonly CancellationToken _stoppingToken;
    private readonly DingStreamLiveness _liveness;
    private readonly ClientWebSocket _socket = new();
    private readonly HttpMessageInvoker _invoker;
    private readonly Channel<DingStreamEvent> _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stopReading = new();
    private readonly TaskCompletionSource<string> _disconnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _watchdog;
    private Task<DingStreamSessionEnd>? _completion;
    private Task[] _workers = [];
    private Task? _pendingReceive;
    private int _inFlight;
    private volatile bool _waitingForSlot;
    private volatile bool _silent;
    private volatile bool _receivedFrame;
    private bool _countedConnected;
    private int _disposed;

    public DingStreamSession(int id, string app, DingStreamOptions options, DingStreamEventProcessor processor, DingStreamMetrics metrics, ILogger logger, TimeProvider time, CancellationToken stoppingToken, DingStreamCallbackProcessor? callbacks = null)
    {
        Id = id;
        _callbacks = callbacks;
        _app = app;
        _options = options;
        _processor = processor;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _stoppingToken = stoppingToken;
        _liveness = new DingStreamLiveness(time);
        // One waiting event at most: with every worker busy the receive loop stops reading (DingTalk keeps the rest).
        _events = Channel.CreateBounded<DingStreamEvent>(new BoundedChannelOptions(1)
        {
            SingleWriter = true,
            SingleReader = options.MaxConcurrentEvents == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var liveness = _liveness;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = (context, token) => DingStreamLiveness.ConnectAsync(liveness, context, token),
            ConnectTimeout = options.SilenceTimeout,
        });
        _socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        _socket.Options.KeepAliveTimeout = options.SilenceTimeout;
        _socket.Options.SetRequestHeader("User-Agent", DingStreamTicketClient.UserAgent);
    }

    /// <summary>A number for logs, unique within the host.</summary>
    public int Id { get; }

    /// <summary>Completes when the receive loop ends.</summary>
    public Task<DingStreamSessionEnd> Completion => _completion ?? throw new InvalidOperationException("The session was not started.");

    /// <summary>Completes (with DingTalk's reason) when the gateway sent <c>disconnect</c>.</summary>
    public Task<string> DisconnectRequested => _disconnect.Task;

    /// <summary>At least one frame arrived: the connection worked (the supervisor then resets its backoff).</summary>
    public bool ReceivedFrame => _receivedFrame;

    /// <summary>Where every received frame is counted (the app's connection status), when set.</summary>
    public DingStreamConnectionCounters? Counters { get; init; }

    /// <summary>Events being processed now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Connects the WebSocket; the silence watchdog already runs while connecting.</summary>
    public async Task ConnectAsync(Uri connectUri, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(_options.SilenceTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10));
        _watchdog = _time.CreateTimer(static state => ((DingStreamSession)state!).CheckSilence(), this, period, period);
        using var timeout = new CancellationTokenSource(_options.SilenceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await _socket.ConnectAsync(connectUri, _invoker, linked.Token).ConfigureAwait(false);
        _liveness.Touch();
        _metrics.Connected(_app, 1);
        _countedConnected = true;
    }

    /// <summary>Starts the receive loop and the <see cref="DingStreamOptions.MaxConcurrentEvents"/> event workers.</summary>
    public void Start()
    {
        _workers = new Task[_options.MaxConcurrentEvents];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = WorkerAsync();
        }

        _completion = ReceiveLoopAsync();
    }

    /// <summary>
    /// Stops reading new frames, lets the in-flight events finish and acknowledge (until <paramref name="deadline"/> is
    /// cancelled), then closes the WebSocket normally and releases it.
    /// </summary>
    public async Task DrainAndCloseAsync(CancellationToken deadline)
    {
        StopReading();
        if (_completion is not null)
        {
            await _completion.ConfigureAwait(false);
        }

        // The receive loop completed the channel: the workers finish what they hold, then end.
        var pending = InFlight + _events.Reader.Count;
        if (pending > 0)
        {
            DingStreamLog.Draining(_logger, _app, Id, pending);
        }

        try
        {
            await Task.WhenAll(_workers).WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            DingStreamLog.DrainTimedOut(_logger, _app, Id, InFlight);
        }

        await CloseAsync().ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts the connection at once (in-flight events can no longer acknowledge).</summary>
    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        StopReading();
        _events.Writer.TryComplete();
        _watchdog?.Dispose();
        _socket.Dispose();
        _invoker.Dispose();
        if (_countedConnected)
        {
            _metrics.Connected(_app, -1);
        }

        return ValueTask.CompletedTask;
    }

    private void StopReading()
    {
        try
        {
            _stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: reading stopped long ago.
        }
    }

    private void CheckSilence()
    {
        if (_waitingForSlot)
        {
            // Not reading because every event slot is busy: that is back-pressure, not silence.
            _liveness.Touch();
            return;
        }

        var silence = _liveness.Silence;
        if (silence < _options.SilenceTimeout || _silent || Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        _silent = true;
        DingStreamLog.ConnectionSilent(_logger, _app, Id, Math.Round(silence.TotalSeconds, 1));
        _watchdog?.Dispose();
        _socket.Abort();
    }

    private async Task CloseAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }

            // The receive left pending when reading stopped completes with the server's close frame.
            if (_pendingReceive is not null)
            {
                await _pendingReceive.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is going away anyway; DisposeAsync releases it.
        }
    }

    /// <summary>Answers the server's close frame with ours, echoing its status, as RFC 6455 §5.5.1 requires.</summary>
    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is going away anyway; DisposeAsync releases it.
        }
    }

    private async Task<DingStreamSessionEnd> ReceiveLoopAsync()
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var length = 0;
                var oversized = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxMessageBytes)
                        {
                            oversized = true;
                            length = 0;
                        }
                        else
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxMessageBytes));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                    }

                    var receive = _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (!receive.IsCompleted)
                    {
                        // Not cancelled itself (cancelling a WebSocket receive aborts the connection): left pending when reading stops.
                        var task = receive.AsTask();
                        try
                        {
                            await task.WaitAsync(_stopReading.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
                        {
                            _pendingReceive = task;
                            return DingStreamSessionEnd.Stopped;
                        }

                        result = await task.ConfigureAwait(false);
                    }
                    else
                    {
                        result = receive.Result;
                    }

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        // Complete the closing handshake: without our own close frame the gateway sees an abnormal close (1006).
                        await AnswerCloseAsync().ConfigureAwait(false);
                        return DingStreamSessionEnd.Closed;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                _liveness.Touch();
                _receivedFrame = true;
                Counters?.FrameReceived(_time.GetUtcNow());
                if (_stopReading.IsCancellationRequested)
                {
                    // Received after reading stopped: an event is not processed, not acknowledged; DingTalk redelivers it. A robot
                    // message is not redelivered: it still goes to the workers, which are finishing what they hold.
                    if (!oversized && result.MessageType == WebSocketMessageType.Text)
                    {
                        TryStartLateCallback(buffer.AsMemory(0, length));
                    }

                    return DingStreamSessionEnd.Stopped;
                }

                if (oversized)
                {
                    _metrics.Frame(_app, "malformed");
                    DingStreamLog.MalformedFrame(_logger, _app, Id, $"a message larger than {MaxMessageBytes} bytes was skipped");
                    continue;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    _metrics.Frame(_app, "malformed");
                    DingStreamLog.MalformedFrame(_logger, _app, Id, "a binary message (the protocol uses text frames)");
                    continue;
                }

                if (!await HandleMessageAsync(buffer.AsMemory(0, length)).ConfigureAwait(false))
                {
                    return DingStreamSessionEnd.Stopped;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            return _silent ? DingStreamSessionEnd.Silent : DingStreamSessionEnd.Failed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);

            // No more events: the workers end once they have finished what they hold.
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Handles one complete message; <see langword="false"/> when reading stopped while waiting for an event slot.</summary>
    private async ValueTask<bool> HandleMessageAsync(ReadOnlyMemory<byte> message)
    {
        if (!DingStreamFrames.TryParse(message, out var frame, out var error))
        {
            _metrics.Frame(_app, "malformed");
            DingStreamLog.MalformedFrame(_logger, _app, Id, error!);
            return true;
        }

        switch (frame!.Kind)
        {
            case DingStreamFrameKind.System:
                _metrics.Frame(_app, "SYSTEM");
                DingStreamLog.SystemFrame(_logger, frame.Topic, Id, _app);
                if (frame.Topic == "ping")
                {
                    // Echo the opaque data unchanged.
                    await TrySendAsync(frame.MessageId, DingStreamFrames.WriteAck(frame.MessageId, 200, "OK", frame.Data ?? "{}")).ConfigureAwait(false);
                }
                else if (frame.Topic == "disconnect")
                {
                    var reason = ReadReason(frame.Data);
                    DingStreamLog.DisconnectRequested(_logger, _app, Id, reason);
                    _disconnect.TrySetResult(reason);
                }

                return true;

            case DingStreamFrameKind.Event:
                _metrics.Frame(_app, "EVENT");
                if (string.IsNullOrEmpty(frame.EventType) || frame.Data is null)
                {
                    _metrics.Frame(_app, "malformed");
                    DingStreamLog.MalformedFrame(_logger, _app, Id, $"EVENT message {frame.MessageId} has no {(frame.Data is null ? "data" : "eventType header")}; not acknowledged");
                    return true;
                }

                return await StartEventAsync(new DingStreamEvent(frame.MessageId, frame.EventType, frame.EventId, frame.CorpId, Encoding.UTF8.GetBytes(frame.Data), _time.GetUtcNow())).ConfigureAwait(false);

            case DingStreamFrameKind.Callback:
                _metrics.Frame(_app, "CALLBACK");
                if (_callbacks is not null && _callbacks.Handles(frame.Topic))
                {
                    if (frame.Data is null)
                    {
                        _metrics.Frame(_app, "malformed");
                        DingStreamLog.MalformedFrame(_logger, _app, Id, $"CALLBACK message {frame.MessageId} (topic {frame.Topic}) has no data; acknowledged with code 400, no handler ran");
                        await TrySendAsync(frame.MessageId, DingStreamFrames.WriteAck(frame.MessageId, 400, "bad request: no data", DingStreamFrames.NullCallbackResponse)).ConfigureAwait(false);
                        return true;
                    }

                    var kind = frame.Topic == DingInteractionJson.RobotTopic ? DingInteractionJson.RobotMessageType : DingInteractionJson.CardCallbackType;
                    return await StartEventAsync(new DingStreamEvent(frame.MessageId, kind, null, null, Encoding.UTF8.GetBytes(frame.Data), _time.GetUtcNow()) { CallbackTopic = frame.Topic }).ConfigureAwait(false);
                }

                DingStreamLog.CallbackFrame(_logger, frame.Topic, _app);
                await TrySendAsync(frame.MessageId, DingStreamFrames.WriteAck(frame.MessageId, 200, "OK", DingStreamFrames.NullCallbackResponse)).ConfigureAwait(false);
                return true;

            default:
                _metrics.Frame(_app, "other");
                DingStreamLog.MalformedFrame(_logger, _app, Id, $"unknown frame type '{frame.Type}' (message {frame.MessageId}); ignored");
                return true;
        }
    }

    /// <summary>Queues a CALLBACK frame the handlers take that arrived after reading stopped, when a worker slot is free; logs it otherwise.</summary>
    private void TryStartLateCallback(ReadOnlyMemory<byte> message)
    {
        if (_callbacks is null || !DingStreamFrames.TryParse(message, out var frame, out _)
            || frame!.Kind != DingStreamFrameKind.Callback || !_callbacks.Handles(frame.Topic) || frame.Data is null)
        {
            return;
        }

        _metrics.Frame(_app, "CALLBACK");
        var kind = frame.Topic == DingInteractionJson.RobotTopic ? DingInteractionJson.RobotMessageType : DingInteractionJson.CardCallbackType;
        var item = new DingStreamEvent(frame.MessageId, kind, null, null, Encoding.UTF8.GetBytes(frame.Data), _time.GetUtcNow()) { CallbackTopic = frame.Topic };
        if (!_events.Writer.TryWrite(item))
        {
            DingStreamLog.CallbackDropped(_logger, frame.MessageId, frame.Topic, _app, Id);
        }
    }

    /// <summary>Queues an event for the workers; <see langword="false"/> when reading stopped while every worker was busy.</summary>
    private async ValueTask<bool> StartEventAsync(DingStreamEvent streamEvent)
    {
        if (_events.Writer.TryWrite(streamEvent))
        {
            return true;
        }

        _waitingForSlot = true;
        try
        {
            await _events.Writer.WriteAsync(streamEvent, _stopReading.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
            // Not started, not acknowledged: DingTalk redelivers it.
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
        finally
        {
            _waitingForSlot = false;
            _liveness.Touch();
        }
    }

    /// <summary>One of the <see cref="DingStreamOptions.MaxConcurrentEvents"/> workers: runs queued events until the channel is completed and empty.</summary>
    private async Task WorkerAsync()
    {
        // Off the caller's stack: the receive loop and the other workers start at once.
        await Task.Yield();
        await foreach (var streamEvent in _events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_socket.State != WebSocketState.Open && streamEvent.CallbackTopic is null)
            {
                // The connection is gone: its acknowledgement could not be sent, and DingTalk redelivers the event anyway.
                // A robot message or card callback runs all the same: DingTalk does not redeliver robot messages.
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            try
            {
                await ProcessAsync(streamEvent).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task ProcessAsync(DingStreamEvent streamEvent)
    {
        if (streamEvent.CallbackTopic is { } topic)
        {
            await ProcessCallbackAsync(streamEvent, topic).ConfigureAwait(false);
            return;
        }

        DingStreamAckStatus status;
        try
        {
            status = await _processor.ProcessAsync(streamEvent, _stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DingStreamLog.EventFailed(_logger, ex, streamEvent.EventType, streamEvent.EventId ?? streamEvent.MessageId, _app);
            status = DingStreamAckStatus.Later;
        }

        if (await TrySendAsync(streamEvent.MessageId, DingStreamFrames.WriteEventAck(streamEvent.MessageId, status)).ConfigureAwait(false))
        {
            _metrics.Ack(_app, status == DingStreamAckStatus.Success ? "SUCCESS" : "LATER");
        }
    }

    private async Task ProcessCallbackAsync(DingStreamEvent callback, string topic)
    {
        byte[] ack;
        try
        {
            ack = await _callbacks!.ProcessAsync(callback.MessageId, topic, callback.Payload, callback.ReceivedAt, _stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DingStreamLog.CallbackFailed(_logger, ex, callback.MessageId, topic, _app);
            ack = DingStreamFrames.WriteAck(callback.MessageId, 500, "the callback could not be delivered", DingStreamFrames.NullCallbackResponse);
        }

        await TrySendAsync(callback.MessageId, ack).ConfigureAwait(false);
    }

    private async ValueTask<bool> TrySendAsync(string messageId, byte[] frame)
    {
        try
        {
            await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                // No cancellation token: cancelling a WebSocket send aborts the connection. A dead peer is caught by the watchdog.
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            DingStreamLog.AckFailed(_logger, messageId, _app, Id, ex.GetType().Name);
            return false;
        }
    }

    private static string ReadReason(string? data)
    {
        if (data is null)
        {
            return "no reason given";
        }

        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(Encoding.UTF8.GetBytes(data));
            if (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
                {
                    var isReason = reader.ValueTextEquals("reason"u8);
                    reader.Read();
                    if (isReason && reader.TokenType == System.Text.Json.JsonTokenType.String)
                    {
                        var reason = reader.GetString()!;
                        return reason.Length > 200 ? reason[..200] : reason;
                    }

                    reader.Skip();
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return "no reason given";
    }
}
