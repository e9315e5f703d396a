using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Keeps one app's Stream connection alive for the life of the host: opens a fresh ticket for every connection, replaces
/// connections that close, fail or go silent (with capped, jittered exponential backoff), rotates on <c>disconnect</c>
/// (the new connection is open before the old one closes), and on shutdown stops reading, lets in-flight events finish
/// and acknowledge within the host's shutdown timeout, then closes normally.
/// </summary>
internal sealed class DingStreamService : BackgroundService
{
    private static int s_nextSessionId;

    private readonly string _name;
    private readonly string _app;
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<DingGenOptions> _appOptions;
    private readonly IOptionsMonitor<DingStreamOptions> _streamOptions;
    private readonly DingStreamTicketClient _tickets;
    private readonly DingStreamMetrics _metrics;
    private readonly DingStreamStatusRegistry _status;
    private readonly DingStreamConnectionCounters _counters;
    private readonly DingGenAppRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;

    // Cancelled when the host's shutdown timeout expires: bounds how long in-flight events may take to finish and acknowledge.
    private readonly CancellationTokenSource _shutdownDeadline = new();
    private CancellationTokenRegistration _shutdownRegistration;

    public DingStreamService(string name, IServiceProvider services, Random? random = null)
    {
        _name = name;
        _app = DingGenServiceCollectionExtensions.DisplayName(name);
        _services = services;
        _appOptions = services.GetRequiredService<IOptionsMonitor<DingGenOptions>>();
        _streamOptions = services.GetRequiredService<IOptionsMonitor<DingStreamOptions>>();
        _tickets = new DingStreamTicketClient(services.GetRequiredService<IHttpClientFactory>().CreateClient(DingStreamTicketClient.HttpClientName));
        _metrics = services.GetRequiredService<DingStreamMetrics>();
        _status = services.GetRequiredService<DingStreamStatusRegistry>();
        _counters = _status.Counters(_app);
        _registry = services.GetRequiredService<DingGenAppRegistry>();
        _time = services.GetRequiredService<TimeProvider>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(DingStreamLog.Category);
        _random = random ?? Random.Shared;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var router = _services.GetRequiredService<DingEventRouter>();
        var interactions = _services.GetRequiredService<DingInteractionRouter>();
        if (router.HandledEventTypes.Count == 0 && !interactions.HandlesRobotMessages && !interactions.HandlesCardCallbacks)
        {
            DingStreamLog.StreamNoHandlers(_logger, _app);
        }
        else if (router.HandledEventTypes.Count > 0)
        {
            DingStreamLog.StreamStarting(_logger, _app, string.Join(", ", router.HandledEventTypes));
        }

        _status.Set(_app, DingStreamConnectionState.Starting, _time.GetUtcNow());
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _shutdownRegistration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _shutdownDeadline);
        return base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _shutdownRegistration.Dispose();
        _shutdownDeadline.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _streamOptions.Get(_name);
        try
        {
            // With a shared stream-connection lease (several replicas), only its holder connects, unless Stream:AllReplicas says otherwise.
            var lease = _services.GetService<IDingStreamLease>();
            _counters.SetReplica(lease?.ReplicaId, leased: lease is not null && !options.AllReplicas);
            if (lease is not null && !options.AllReplicas)
            {
                var runner = new DingStreamLeaseRunner(_name, _app, lease, options.LeaseTimeout, _status, _time, _logger);
                await runner.RunAsync(RunConnectionsAsync, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await RunConnectionsAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _status.Set(_app, DingStreamConnectionState.Stopped, _time.GetUtcNow());
            DingStreamLog.Stopped(_logger, _app);
        }
    }

    /// <summary>Keeps a connection open until <paramref name="stoppingToken"/> (host stopping, or the connection lease lost) is cancelled.</summary>
    private async Task RunConnectionsAsync(CancellationToken stoppingToken)
    {
        var options = _streamOptions.Get(_name);
        var backoff = new DingStreamBackoff(options.InitialReconnectDelay, options.MaxReconnectDelay, _random);
        var processor = new DingStreamEventProcessor(_name, _services);
        var callbacks = new DingStreamCallbackProcessor(_name, _services);
        if (callbacks.Topics.Count > 0)
        {
            DingStreamLog.CallbackTopics(_logger, _app, string.Join(", ", callbacks.Topics));
        }
        var stopped = Task.Delay(Timeout.Infinite, stoppingToken);
        var draining = new List<Task>();
        DingStreamSession? current = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                current ??= await ConnectAsync(processor, callbacks, backoff, stoppingToken).ConfigureAwait(false);
                if (current is null)
                {
                    break;
                }

                var completed = await Task.WhenAny(current.Completion, current.DisconnectRequested, stopped).ConfigureAwait(false);
                if (completed == stopped)
                {
                    break;
                }

                if (completed == current.DisconnectRequested && !current.Completion.IsCompleted)
                {
                    // Rotate: the old connection keeps reading and finishing its events until the new one is open.
                    _metrics.Reconnect(_app, "disconnect");
                    _counters.Reconnected();
                    var next = await ConnectAsync(processor, callbacks, backoff, stoppingToken).ConfigureAwait(false);
                    draining.Add(current.DrainAndCloseAsync(_shutdownDeadline.Token));
                    current = next;
                    continue;
                }

                var end = await current.Completion.ConfigureAwait(false);
                if (current.ReceivedFrame)
                {
                    backoff.Reset();
                }

                var reason = end switch
                {
                    DingStreamSessionEnd.Closed => "closed",
                    DingStreamSessionEnd.Silent => "silent",
                    _ => "failed",
                };
                var lostId = current.Id;
                current.Abort();
                await current.DisposeAsync().ConfigureAwait(false);
                current = null;
                _metrics.Reconnect(_app, reason);
                _counters.Reconnected();
                var delay = backoff.Next();
                _status.Set(_app, DingStreamConnectionState.Reconnecting, _time.GetUtcNow(), "connection " + reason);
                DingStreamLog.ConnectionLost(_logger, _app, lostId, Describe(end), (long)delay.TotalMilliseconds);
                if (!await DelayAsync(delay, stoppingToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            if (current is not null)
            {
                await current.DrainAndCloseAsync(_shutdownDeadline.Token).ConfigureAwait(false);
            }

            if (draining.Count > 0)
            {
                await Task.WhenAll(draining).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ticket + WebSocket, retried with backoff until it works; <see langword="null"/> when the host is stopping.</summary>
    private async Task<DingStreamSession?> ConnectAsync(DingStreamEventProcessor processor, DingStreamCallbackProcessor callbacks, DingStreamBackoff backoff, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var appOptions = _appOptions.Get(_name);
            var options = _streamOptions.Get(_name);
            var gateway = new Uri(options.GatewayAddress, UriKind.Absolute);
            DingStreamTicket ticket;
            try
            {
                ticket = await _tickets.OpenAsync(gateway, appOptions.AppKey ?? string.Empty, appOptions.AppSecret ?? string.Empty, stoppingToken, callbacks.Topics).ConfigureAwait(false);
            }
            catch (DingStreamTicketException ex)
            {
                var delay = backoff.Next();
                _metrics.TicketFailure(_app, ex.CredentialsRejected ? "credentials" : "ticket");
                _status.Set(_app, DingStreamConnectionState.Reconnecting, _time.GetUtcNow(), ex.CredentialsRejected ? "credentials rejected" : "ticket failed: " + ex.Message);
                if (ex.CredentialsRejected)
                {
                    DingStreamLog.CredentialsRejected(_logger, _app, ex.StatusCode, ex.Code ?? "(none)", _registry.SettingPrefix(_name), (long)delay.TotalMilliseconds);
                }
                else
                {
                    DingStreamLog.TicketFailed(_logger, _app, gateway.GetLeftPart(UriPartial.Authority), ex.Message, (long)delay.TotalMilliseconds);
                }

                if (!await DelayAsync(delay, stoppingToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }

            var session = new DingStreamSession(Interlocked.Increment(ref s_nextSessionId), _app, options, processor, _metrics, _logger, _time, stoppingToken, callbacks) { Counters = _counters };
            try
            {
                await session.ConnectAsync(ticket.ConnectUri, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or OperationCanceledException or IOException)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    return null;
                }

                var delay = backoff.Next();
                _metrics.TicketFailure(_app, "connect");
                _status.Set(_app, DingStreamConnectionState.Reconnecting, _time.GetUtcNow(), "WebSocket connect failed");
                DingStreamLog.ConnectFailed(_logger, _app, ex is OperationCanceledException ? "timed out" : ex.Message, (long)delay.TotalMilliseconds);
                if (!await DelayAsync(delay, stoppingToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }

            _status.Set(_app, DingStreamConnectionState.Connected, _time.GetUtcNow());
            session.Start();
            DingStreamLog.Connected(_logger, _app, session.Id, ticket.EndpointForLog);
            return session;
        }

        return null;
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Describe(DingStreamSessionEnd end) => end switch
    {
        DingStreamSessionEnd.Closed => "the gateway closed the WebSocket",
        DingStreamSessionEnd.Silent => "nothing was received within the silence timeout (zombie connection aborted)",
        DingStreamSessionEnd.Stopped => "reading stopped",
        _ => "the connection failed (reset, protocol error or unanswered keep-alive ping)",
    };
}
