using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen.Testing;

/// <summary>
/// A DingTalk Stream gateway on loopback for tests: the ticket endpoint (<c>POST /v1.0/gateway/connections/open</c>, checks
/// client id and secret, one-use tickets) and the WebSocket frame protocol (EVENT, SYSTEM <c>ping</c> / <c>disconnect</c>,
/// CALLBACK), with the failures tests need: dropped connections, stalled (zombie) connections, <c>disconnect</c>, and
/// redelivery of events that were not acknowledged or were acknowledged <c>LATER</c>.
/// </summary>
/// <example>
/// <code>
/// await using var gateway = await FakeStreamGateway.StartAsync(new() { ClientId = appKey, ClientSecret = appSecret });
/// // point the host at it: DingGen:Stream:GatewayAddress = gateway.Address
/// var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");
/// var ack = await gateway.WaitForAckAsync(messageId, "SUCCESS", TimeSpan.FromSeconds(10));
/// </code>
/// </example>
/// <remarks>
/// Every wait takes a timeout and completes as soon as the gateway's state changes, so tests never poll the clock.
/// A redelivered event keeps its <c>messageId</c> and <c>eventId</c>. Thread-safe.
/// </remarks>
public sealed partial class FakeStreamGateway : IAsyncDisposable
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly FakeStreamGatewayOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tickets = new(StringComparer.Ordinal);
    private readonly List<FakeStreamTicketRequest> _ticketRequests = new();
    private readonly List<Connection> _connections = new();
    private readonly List<FakeStreamAck> _acks = new();
    private readonly Dictionary<string, string> _sentData = new(StringComparer.Ordinal);
    private readonly List<(Func<bool> Condition, TaskCompletionSource Signal)> _waiters = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly List<Task> _background = new();
    private WebApplication? _app;
    private long _sequence;
    private int _nextConnectionId;
    private int _nextMessage;

    private FakeStreamGateway(FakeStreamGatewayOptions options)
    {
        _options = options;
    }

    /// <summary>The gateway's base address (<c>http://127.0.0.1:port</c>): the host's <c>Stream:GatewayAddress</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Tickets issued so far.</summary>
    public int TicketsIssued
    {
        get
        {
            lock (_gate)
            {
                return _ticketRequests.Count(static r => r.Granted);
            }
        }
    }

    /// <summary>Ticket requests refused (wrong client id or secret, bad body).</summary>
    public int TicketRequestsRejected
    {
        get
        {
            lock (_gate)
            {
                return _ticketRequests.Count(static r => !r.Granted);
            }
        }
    }

    /// <summary>Every ticket request, in order.</summary>
    public IReadOnlyList<FakeStreamTicketRequest> TicketRequests
    {
        get
        {
            lock (_gate)
            {
                return _ticketRequests.ToArray();
            }
        }
    }

    /// <summary>Every connection ever accepted, in order.</summary>
    public IReadOnlyList<FakeStreamConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Select(static c => c.Info).ToArray();
            }
        }
    }

    /// <summary>Connections open now.</summary>
    public int ConnectionsOpen
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count(static c => c.Info.IsOpen);
            }
        }
    }

    /// <summary>Every acknowledgement received, in order.</summary>
    public IReadOnlyList<FakeStreamAck> Acks
    {
        get
        {
            lock (_gate)
            {
                return _acks.ToArray();
            }
        }
    }

    /// <summary>Starts a gateway on 127.0.0.1 with an ephemeral port.</summary>
    public static async Task<FakeStreamGateway> StartAsync(FakeStreamGatewayOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateway = new FakeStreamGateway(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(gateway.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        gateway._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        gateway.Address = new Uri(address);
        return gateway;
    }

    /// <summary>
    /// Sends an EVENT frame to the newest live connection (waiting for one if none is open) and keeps redelivering it, with
    /// the same <c>messageId</c>, until it is acknowledged <c>SUCCESS</c>. Returns the <c>messageId</c> once the first delivery is queued.
    /// </summary>
    /// <param name="eventType">The <c>eventType</c> header, e.g. <c>user_add_org</c>.</param>
    /// <param name="dataJson">The event body (camelCase JSON); sent as the string <c>data</c>.</param>
    /// <param name="eventId">The <c>eventId</c> header; a new id when <see langword="null"/>.</param>
    /// <param name="corpId">The <c>eventCorpId</c> header.</param>
    public Task<string> SendEventAsync(string eventType, string dataJson, string? eventId = null, string? corpId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(dataJson);
        var messageId = NewMessageId();
        var frame = Frame("EVENT", "*", messageId, dataJson, w =>
        {
            w.WriteString("eventType", eventType);
            w.WriteString("eventId", eventId ?? Guid.NewGuid().ToString("N"));
            w.WriteString("eventCorpId", corpId ?? "dingfakecorp0000000000000000000000");
            w.WriteString("eventBornTime", _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            w.WriteString("eventUnifiedAppId", "fake-unified-app");
        });
        Track(DeliverAsync(messageId, frame));
        return Task.FromResult(messageId);
    }

    /// <summary>Sends a SYSTEM <c>ping</c> (data <c>{"opaque":"…"}</c>) to every live connection; returns its <c>messageId</c>.</summary>
    public async Task<string> SendPingAsync()
    {
        var messageId = NewMessageId();
        var frame = Frame("SYSTEM", "ping", messageId, "{\"opaque\":\"" + Guid.NewGuid().ToString("N") + "\"}", null);
        await SendToLiveAsync(frame).ConfigureAwait(false);
        return messageId;
    }

    /// <summary>The <c>data</c> the gateway sent with <paramref name="messageId"/> (to compare a ping's echo).</summary>
    public string? SentData(string messageId)
    {
        lock (_gate)
        {
            return _sentData.TryGetValue(messageId, out var data) ? data : null;
        }
    }

    /// <summary>Sends a CALLBACK frame (robot message topic by default) to every live connection; returns its <c>messageId</c>. See also <see cref="SendRobotMessageAsync"/> and <see cref="SendCardCallbackAsync"/>.</summary>
    public async Task<string> SendCallbackAsync(string topic = "/v1.0/im/bot/messages/get", string dataJson = "{}")
    {
        var messageId = NewMessageId();
        await SendToLiveAsync(Frame("CALLBACK", topic, messageId, dataJson, null)).ConfigureAwait(false);
        return messageId;
    }

    /// <summary>Sends <paramref name="text"/> as is, as one text message, to every live connection (for malformed-frame tests).</summary>
    public Task SendRawAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendToLiveAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Sends SYSTEM <c>disconnect</c> to every live connection; each is closed by the gateway
    /// <see cref="FakeStreamGatewayOptions.DisconnectGrace"/> later unless the client closed it first. No new event goes to them.
    /// </summary>
    public async Task SendDisconnectAsync()
    {
        Connection[] targets;
        lock (_gate)
        {
            targets = _connections.Where(static c => c.IsLive).ToArray();
            foreach (var connection in targets)
            {
                connection.Info.DisconnectSent = true;
            }
        }

        foreach (var connection in targets)
        {
            var frame = Frame("SYSTEM", "disconnect", NewMessageId(), """{"reason":"connection is expired"}""", null);
            await connection.TrySendAsync(frame).ConfigureAwait(false);
            Track(CloseAfterGraceAsync(connection));
        }

        Changed();
    }

    /// <summary>
    /// Closes every open connection cleanly, as a gateway going away does: sends a close frame (1000) and lets the client answer with
    /// its own (<see cref="FakeStreamConnection.ClientAnsweredClose"/>); a connection not closed within five seconds is aborted.
    /// </summary>
    public async Task CloseConnectionsAsync()
    {
        Connection[] targets;
        lock (_gate)
        {
            targets = _connections.Where(static c => c.Info.IsOpen && !c.Info.Stalled).ToArray();
        }

        foreach (var connection in targets)
        {
            await CloseCleanlyAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task CloseCleanlyAsync(Connection connection)
    {
        lock (_gate)
        {
            connection.Info.ClosedByGateway = true;
        }

        await connection.CloseOutputAsync().ConfigureAwait(false);
        Track(AbortUnlessClosedAsync(connection));
    }

    private async Task AbortUnlessClosedAsync(Connection connection)
    {
        try
        {
            await WaitUntilAsync(() => !connection.Info.IsOpen, TimeSpan.FromSeconds(5), "the client's close frame").WaitAsync(_disposing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            connection.Abort();
        }
    }

    /// <summary>Aborts every open connection's TCP connection at once (no close frame).</summary>
    public Task DropConnectionsAsync()
    {
        Connection[] targets;
        lock (_gate)
        {
            targets = _connections.Where(static c => c.Info.IsOpen).ToArray();
        }

        foreach (var connection in targets)
        {
            connection.Abort();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Freezes every connection open now, like a zombie: the gateway stops reading from them (so it answers no ping, not
    /// even at the WebSocket level) and sends them nothing. Connections opened later are served normally.
    /// </summary>
    public void Stall()
    {
        lock (_gate)
        {
            foreach (var connection in _connections.Where(static c => c.Info.IsOpen))
            {
                connection.Info.Stalled = true;
                connection.StallGate.Stall();
            }
        }

        Changed();
    }

    /// <summary>Waits for the first acknowledgement of <paramref name="messageId"/>.</summary>
    public Task<FakeStreamAck> WaitForAckAsync(string messageId, TimeSpan timeout) => WaitForAckAsync(messageId, null, timeout);

    /// <summary>Waits for an acknowledgement of <paramref name="messageId"/> with <paramref name="status"/> (e.g. <c>SUCCESS</c>, <c>LATER</c>), or any when <see langword="null"/>.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>.</exception>
    public async Task<FakeStreamAck> WaitForAckAsync(string messageId, string? status, TimeSpan timeout)
    {
        FakeStreamAck? found = null;
        await WaitUntilAsync(() =>
        {
            found = _acks.FirstOrDefault(a => a.MessageId == messageId && (status is null || a.Status == status));
            return found is not null;
        }, timeout, $"an acknowledgement{(status is null ? string.Empty : " " + status)} of message {messageId}").ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits until <paramref name="count"/> connections were accepted in total.</summary>
    public Task WaitForConnectionsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => _connections.Count >= count, timeout, $"{count} connection(s)");

    /// <summary>Waits until <paramref name="count"/> ticket requests arrived in total (granted or not).</summary>
    public Task WaitForTicketRequestsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => _ticketRequests.Count >= count, timeout, $"{count} ticket request(s)");

    /// <summary>Waits until connection <paramref name="connectionId"/> is closed (by either side, or aborted).</summary>
    public Task WaitForConnectionClosedAsync(int connectionId, TimeSpan timeout) =>
        WaitUntilAsync(() => _connections.Any(c => c.Info.Id == connectionId && !c.Info.IsOpen), timeout, $"connection {connectionId} to close");

    /// <summary>Waits until <paramref name="condition"/> (evaluated under the gateway's lock after every change) holds.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>.</exception>
    public Task WaitUntilAsync(Func<FakeStreamGateway, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(() => condition(this), timeout, "the condition");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        Connection[] open;
        lock (_gate)
        {
            open = _connections.ToArray();
        }

        foreach (var connection in open)
        {
            connection.Abort();
        }

        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync().ConfigureAwait(false);
        }

        Task[] background;
        lock (_gate)
        {
            background = _background.ToArray();
        }

        try
        {
            await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }

        _disposing.Dispose();
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (condition())
            {
                return;
            }

            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, signal));
        }

        try
        {
            await signal.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Signal == signal);
            }

            throw new TimeoutException($"FakeStreamGateway: waited {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s for {what}.");
        }
    }

    /// <summary>Re-evaluates the waiters after a state change.</summary>
    private void Changed()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    (ready ??= new()).Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (ready is not null)
        {
            foreach (var signal in ready)
            {
                signal.TrySetResult();
            }
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _background.RemoveAll(static t => t.IsCompleted);
            _background.Add(task);
        }
    }

    private string NewMessageId() =>
        "fake_" + Interlocked.Increment(ref _nextMessage).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];

    private byte[] Frame(string type, string topic, string messageId, string data, Action<Utf8JsonWriter>? extraHeaders)
    {
        lock (_gate)
        {
            _sentData[messageId] = data;
        }

        var buffer = new ArrayBufferWriter<byte>(256 + data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specVersion", "1.0");
            writer.WriteString("type", type);
            writer.WriteStartObject("headers");
            writer.WriteString("topic", topic);
            writer.WriteString("messageId", messageId);
            writer.WriteString("contentType", "application/json");
            writer.WriteString("time", _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            writer.WriteString("appId", "fake-app");
            extraHeaders?.Invoke(writer);
            writer.WriteEndObject();
            writer.WriteString("data", data);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task SendToLiveAsync(byte[] frame)
    {
        Connection[] targets;
        lock (_gate)
        {
            targets = _connections.Where(static c => c.IsLive).ToArray();
        }

        foreach (var connection in targets)
        {
            await connection.TrySendAsync(frame).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(string messageId, byte[] frame)
    {
        var token = _disposing.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var connection = await NextLiveConnectionAsync(token).ConfigureAwait(false);
                int acksBefore;
                lock (_gate)
                {
                    acksBefore = _acks.Count(a => a.MessageId == messageId);
                }

                if (!await connection.TrySendAsync(frame).ConfigureAwait(false))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), token).ConfigureAwait(false);
                    continue;
                }

                FakeStreamAck? ack = null;
                try
                {
                    await WaitUntilAsync(() =>
                    {
                        var acks = _acks.Where(a => a.MessageId == messageId).ToArray();
                        ack = acks.Length > acksBefore ? acks[acksBefore] : null;
                        return ack is not null;
                    }, _options.RedeliveryDelay, "ack").WaitAsync(token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Not acknowledged in time: redeliver.
                    continue;
                }

                if (ack!.Status == "SUCCESS")
                {
                    return;
                }

                await Task.Delay(_options.RedeliveryDelay, _options.TimeProvider, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<Connection> NextLiveConnectionAsync(CancellationToken token)
    {
        while (true)
        {
            Connection? live = null;
            await WaitUntilAsync(() =>
            {
                live = _connections.LastOrDefault(static c => c.IsLive);
                return live is not null;
            }, Timeout.InfiniteTimeSpan, "a live connection").WaitAsync(token).ConfigureAwait(false);
            return live!;
        }
    }

    private async Task CloseAfterGraceAsync(Connection connection)
    {
        try
        {
            await Task.Delay(_options.DisconnectGrace, _options.TimeProvider, _disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (connection.Info.IsOpen)
        {
            // The grace is over: the gateway closes the connection itself, cleanly.
            await CloseCleanlyAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (HttpMethods.IsPost(context.Request.Method) && path == "/v1.0/gateway/connections/open")
        {
            await HandleTicketAsync(context).ConfigureAwait(false);
        }
        else if (path == "/connect")
        {
            await HandleConnectAsync(context).ConfigureAwait(false);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task HandleTicketAsync(HttpContext context)
    {
        var acceptsJson = context.Request.Headers.Accept.Any(static v => v is not null && v.Contains("application/json", StringComparison.OrdinalIgnoreCase));
        string? clientId = null, clientSecret = null, ua = null;
        var subscriptions = new List<string>();
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            var root = document.RootElement;
            clientId = root.TryGetProperty("clientId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            clientSecret = root.TryGetProperty("clientSecret", out var secret) && secret.ValueKind == JsonValueKind.String ? secret.GetString() : null;
            ua = root.TryGetProperty("ua", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (root.TryGetProperty("subscriptions", out var subs) && subs.ValueKind == JsonValueKind.Array)
            {
                foreach (var sub in subs.EnumerateArray())
                {
                    subscriptions.Add($"{(sub.TryGetProperty("type", out var t) ? t.GetString() : null)}:{(sub.TryGetProperty("topic", out var p) ? p.GetString() : null)}");
                }
            }
        }
        catch (JsonException)
        {
        }

        var granted = clientId == _options.ClientId && clientSecret == _options.ClientSecret;
        string? ticket = null;
        lock (_gate)
        {
            _ticketRequests.Add(new FakeStreamTicketRequest(clientId, subscriptions, ua, acceptsJson, granted));
            if (granted)
            {
                ticket = Guid.NewGuid().ToString();
                _tickets[ticket] = _options.TimeProvider.GetUtcNow() + _options.TicketLifetime;
            }
        }

        Changed();
        if (!granted)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"code":"InvalidAuthentication","message":"clientId or clientSecret is invalid"}""").ConfigureAwait(false);
            return;
        }

        var endpoint = $"ws://{Address.Authority}/connect";
        if (!acceptsJson)
        {
            // Like the real gateway without Accept: application/json.
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<OpenConnectionResponse><endpoint>{endpoint}</endpoint><ticket>{ticket}</ticket></OpenConnectionResponse>").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"endpoint":"{{endpoint}}","ticket":"{{ticket}}"}""").ConfigureAwait(false);
    }

    private async Task HandleConnectAsync(HttpContext context)
    {
        var ticket = context.Request.Query["ticket"].ToString();
        bool valid;
        lock (_gate)
        {
            valid = _tickets.Remove(ticket, out var expires) && expires > _options.TimeProvider.GetUtcNow();
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (!valid || upgrade is null || !upgrade.IsUpgradableRequest || key.Length == 0)
        {
            context.Response.StatusCode = valid ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
            return;
        }

        // The upgrade is done by hand so the connection's stream can be frozen (Stall) below the WebSocket.
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        var opaque = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var stall = new StallGate(_disposing.Token);
        using var socket = WebSocket.CreateFromStream(new StallableStream(opaque, stall), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });

        Connection connection;
        lock (_gate)
        {
            connection = new Connection(new FakeStreamConnection(Interlocked.Increment(ref _nextConnectionId), Interlocked.Increment(ref _sequence)), socket, stall, context);
            _connections.Add(connection);
        }

        Changed();
        try
        {
            await ReceiveLoopAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                connection.Info.ClosedAt ??= Interlocked.Increment(ref _sequence);
            }

            Changed();
        }
    }

    private async Task ReceiveLoopAsync(Connection connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), _disposing.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        bool answer;
                        lock (_gate)
                        {
                            answer = connection.Info.ClosedByGateway;
                            connection.Info.ClientAnsweredClose = answer;
                            connection.Info.ClosedByClient = !answer;
                            connection.Info.CloseStatus = connection.Socket.CloseStatus;
                            connection.Info.ClosedAt = Interlocked.Increment(ref _sequence);
                        }

                        Changed();
                        if (!answer)
                        {
                            await connection.CloseOutputAsync().ConfigureAwait(false);
                        }

                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                RecordAck(connection, buffer.AsSpan(0, length));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private void RecordAck(Connection connection, ReadOnlySpan<byte> message)
    {
        try
        {
            using var document = JsonDocument.Parse(message.ToArray());
            var root = document.RootElement;
            var messageId = root.GetProperty("headers").GetProperty("messageId").GetString()!;
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            string? status = null;
            if (data is not null && data.StartsWith('{'))
            {
                try
                {
                    using var inner = JsonDocument.Parse(data);
                    if (inner.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                    {
                        status = s.GetString();
                    }
                }
                catch (JsonException)
                {
                }
            }

            lock (_gate)
            {
                _acks.Add(new FakeStreamAck(messageId, connection.Info.Id, code, status, data, Interlocked.Increment(ref _sequence)));
            }

            Changed();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not an acknowledgement the protocol knows: ignored, as DingTalk would.
        }
    }

    private sealed class Connection
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly HttpContext _http;

        public Connection(FakeStreamConnection info, WebSocket socket, StallGate stall, HttpContext http)
        {
            Info = info;
            Socket = socket;
            StallGate = stall;
            _http = http;
        }

        public FakeStreamConnection Info { get; }

        public WebSocket Socket { get; }

        public StallGate StallGate { get; }

        /// <summary>Open, not stalled, not told to disconnect: where new events go.</summary>
        public bool IsLive => Info.IsOpen && !Info.Stalled && !Info.DisconnectSent;

        public async Task<bool> TrySendAsync(byte[] frame)
        {
            if (Info.Stalled || !Info.IsOpen || Info.ClosedByGateway)
            {
                return false;
            }

            frame = WithConnectionId(frame);

            try
            {
                await _sendLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await Socket.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                    return true;
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>Writes <c>headers.connectionId</c> into a frame built by the gateway (which starts its headers object with <c>topic</c>).</summary>
        private byte[] WithConnectionId(byte[] frame)
        {
            var marker = "\"headers\":{"u8;
            var at = frame.AsSpan().IndexOf(marker);
            if (at < 0)
            {
                return frame;
            }

            var insert = Encoding.UTF8.GetBytes("\"connectionId\":\"" + Info.ConnectionId + "\",");
            var end = at + marker.Length;
            return [.. frame.AsSpan(0, end), .. insert, .. frame.AsSpan(end)];
        }

        public async Task CloseOutputAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        public void Abort()
        {
            Socket.Abort();
            try
            {
                _http.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The request already ended: the connection is closed.
            }
        }
    }

    /// <summary>Blocks reads and writes of a stalled connection until the gateway is disposed.</summary>
    private sealed class StallGate
    {
        private readonly CancellationToken _disposing;
        private volatile bool _stalled;

        public StallGate(CancellationToken disposing)
        {
            _disposing = disposing;
        }

        public bool IsStalled => _stalled;

        public void Stall() => _stalled = true;

        public Task Frozen() => Task.Delay(Timeout.Infinite, _disposing);
    }

    /// <summary>The upgraded connection's stream; once stalled, nothing read is handed to the WebSocket and nothing is written.</summary>
    private sealed class StallableStream : Stream
    {
        private readonly Stream _inner;
        private readonly StallGate _gate;

        public StallableStream(Stream inner, StallGate gate)
        {
            _inner = inner;
            _gate = gate;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => _gate.IsStalled ? _gate.Frozen() : _inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_gate.IsStalled)
            {
                await _gate.Frozen().ConfigureAwait(false);
            }

            var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (_gate.IsStalled)
            {
                // Swallowed: a zombie neither processes nor answers what it receives.
                await _gate.Frozen().ConfigureAwait(false);
            }

            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_gate.IsStalled)
            {
                await _gate.Frozen().ConfigureAwait(false);
            }

            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
