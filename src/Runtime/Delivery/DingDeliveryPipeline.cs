using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DingGen;

/// <summary>
/// THE delivery pipeline: the only place where an event meets the handlers. It creates the DI scope of the event, builds its
/// <see cref="DingEventContext"/>, dispatches through every module (<see cref="DingEventRouter"/>), turns a throwing dispatcher into a
/// failure, logs every failed handler and the outcome (category <c>DingGen.Delivery</c>) and counts it (<c>dinggen.deliveries</c>,
/// <c>dinggen.delivery.duration</c>, tagged with the channel). Every channel — the HTTP callback processor, stream mode, the inbox worker,
/// failed-delivery recovery — is an adapter around <see cref="DeliverAsync"/> that maps the result to its own answer.
/// </summary>
/// <remarks>
/// A custom channel (a queue, a test) delivers through it the same way: resolve <see cref="DingDeliveryPipeline"/> from DI (registered
/// by <c>AddDingGen</c>) and call <see cref="DeliverAsync"/> with the decrypted event. It never throws for a failing handler.
/// Robot messages and card callbacks meet their handlers here too (<see cref="DeliverRobotMessageAsync"/>,
/// <see cref="DeliverCardCallbackAsync"/>), with the same logs, instruments and observers.
/// </remarks>
public sealed partial class DingDeliveryPipeline
{
    /// <summary>A delivery over HTTP slower than this logs "DingTalk deadline at risk" (DingTalk waits 1500 ms).</summary>
    public static readonly TimeSpan DeadlineWarningThreshold = TimeSpan.FromMilliseconds(1000);

    private readonly IServiceScopeFactory _scopes;
    private readonly DingEventRouter _router;
    private readonly FrozenSet<string> _handled;
    private readonly TimeProvider _time;
    private readonly DingDeliveryMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IDingDeliveryObserver[] _observers;

    internal DingDeliveryPipeline(IServiceScopeFactory scopes, DingEventRouter router, TimeProvider time, DingDeliveryMetrics metrics, ILoggerFactory? loggerFactory, IEnumerable<IDingDeliveryObserver>? observers = null, DingInteractionRouter? interactions = null, IServiceProvider? services = null)
    {
        _interactions = interactions ?? new DingInteractionRouter([]);
        _services = services;
        _observers = observers?.ToArray() ?? [];
        _scopes = scopes;
        _router = router;
        _handled = router.HandledEventTypes.ToFrozenSet(StringComparer.Ordinal);
        _time = time;
        _metrics = metrics;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(DingDeliveryLog.Category);
    }

    /// <summary>The composition of every module's dispatcher.</summary>
    public DingEventRouter Router => _router;

    /// <summary>Whether any module handles <paramref name="eventType"/>.</summary>
    public bool Handles(string eventType) => _handled.Contains(eventType);

    /// <summary>
    /// Runs every handler of <paramref name="delivery"/> in a DI scope of its own and reports the combined result (an event type no
    /// module handles is offered to every dispatcher too, and counted and logged as unhandled). Never throws for a failing handler or dispatcher:
    /// the failure is in the result (<see cref="DingHandlerFailure.DispatcherName"/> for a dispatcher that threw).
    /// </summary>
    /// <param name="delivery">The event.</param>
    /// <param name="cancellationToken">Handed to the handlers as <see cref="DingEventContext.CancellationToken"/> (the host's stopping token).</param>
    public async ValueTask<DingDispatchResult> DeliverAsync(DingDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var start = _time.GetTimestamp();
        var app = DingGenServiceCollectionExtensions.DisplayName(delivery.AppName);
        var channel = delivery.ChannelName;
        // Handler durations are only needed for the deadline warning: HTTP push answered after the handlers, with warnings logged.
        var observer = delivery.Channel == DingDeliveryChannel.HttpPush && delivery.InboxEntryId is null && _logger.IsEnabled(LogLevel.Warning)
            ? new HandlerObserver()
            : null;
        DingDispatchResult result;
        DingEventContext context;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            context = new DingEventContext(delivery.EventType, delivery.Payload, scope.ServiceProvider)
            {
                EventId = delivery.EventId!,
                CorpId = delivery.CorpId,
                Channel = delivery.Channel,
                ReceivedAt = delivery.ReceivedAt,
                AppName = delivery.AppName.Length == 0 ? null : delivery.AppName,
                DeliveryAttempt = delivery.Attempt,
                CancellationToken = cancellationToken,
                TimeProvider = _time,
                Observer = observer,
            };

            try
            {
                result = await _router.DispatchAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                result = DingDispatchResult.Failed([DingHandlerFailure.OfDispatcher(delivery.EventType, ex)]);
            }
        }

        var elapsed = _time.GetElapsedTime(start);

        // The event id is the payload's hash when DingTalk sent none: computed only for a log line or an observer that shows it.
        var eventId = delivery.EventId is { Length: > 0 } given ? given : null;
        string outcome;
        switch (result.Status)
        {
            case DingDispatchStatus.Failed:
                var consequence = Consequence(delivery);
                eventId ??= context.EventId;
                foreach (var failure in result.Failures)
                {
                    if (failure.IsDispatcherFailure)
                    {
                        DingDeliveryLog.DispatcherFailed(_logger, failure.Exception, delivery.EventType, eventId, app, channel, consequence);
                    }
                    else
                    {
                        DingDeliveryLog.HandlerFailed(_logger, failure.Exception, failure.HandlerName, failure.EventType, eventId, app, channel, consequence);
                    }
                }

                outcome = "failed";
                break;
            case DingDispatchStatus.Handled:
                outcome = "handled";
                break;
            default:
                outcome = "unhandled";
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    DingDeliveryLog.Unhandled(_logger, delivery.EventType, eventId ??= context.EventId, app, channel);
                }

                break;
        }

        if (observer is not null && elapsed > DeadlineWarningThreshold)
        {
            DingDeliveryLog.DeadlineAtRisk(_logger, delivery.EventType, app, elapsed.TotalMilliseconds, observer.Describe());
        }

        _metrics.Delivered(app, channel, delivery.EventType, outcome, elapsed);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            DingDeliveryLog.Completed(_logger, delivery.EventType, eventId ??= context.EventId, app, channel, delivery.CorpId, outcome, elapsed.TotalMilliseconds);
        }

        if (_observers.Length > 0)
        {
            Notify(delivery, channel, eventId ?? context.EventId, result, elapsed);
        }

        return result;
    }

    private void Notify(DingDelivery delivery, string channel, string eventId, DingDispatchResult result, TimeSpan elapsed)
    {
        var failed = new string[result.Failures.Count];
        for (var i = 0; i < failed.Length; i++)
        {
            failed[i] = result.Failures[i].HandlerName;
        }

        var record = new DingDeliveryRecord(_time.GetUtcNow(), delivery.AppName, channel, delivery.EventType, eventId, result.Status, elapsed, failed);
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnDelivered(record);
            }
            catch (Exception ex)
            {
                DingDeliveryLog.ObserverFailed(_logger, ex, observer.GetType().Name);
            }
        }
    }

    /// <summary>What the channel does with a failed delivery, for the log line.</summary>
    private static string Consequence(DingDelivery delivery) => delivery switch
    {
        { InboxEntryId: not null } => "the inbox retries it with backoff, then dead-letters it",
        { Channel: DingDeliveryChannel.HttpPush } => "answered 500 so DingTalk redelivers",
        { Channel: DingDeliveryChannel.Stream } => "acknowledged LATER so DingTalk redelivers",
        _ => "recovery keeps it and tries it again",
    };

    /// <summary>
    /// Collects each handler's duration for the deadline warning. The first handler (the usual case) is kept in fields, so a delivery
    /// costs this one small object; a list is made only for a second handler.
    /// </summary>
    private sealed class HandlerObserver : IDingHandlerObserver
    {
        private (string Handler, TimeSpan Duration, bool Failed) _first;
        private int _count;
        private List<(string Handler, TimeSpan Duration, bool Failed)>? _more;

        public void OnHandlerCompleted(DingEventContext context, string handlerName, TimeSpan duration, Exception? exception)
        {
            lock (this)
            {
                var entry = (handlerName, duration, exception is not null);
                if (_count++ == 0)
                {
                    _first = entry;
                }
                else
                {
                    (_more ??= new(2)).Add(entry);
                }
            }
        }

        public string Describe()
        {
            lock (this)
            {
                if (_count == 0)
                {
                    return "(none reported)";
                }

                var text = new StringBuilder();
                Append(text, _first);
                if (_more is not null)
                {
                    foreach (var entry in _more)
                    {
                        Append(text, entry);
                    }
                }

                return text.ToString();
            }
        }

        private static void Append(StringBuilder text, (string Handler, TimeSpan Duration, bool Failed) entry)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(entry.Handler).Append(' ').Append(Math.Round(entry.Duration.TotalMilliseconds, 1).ToString(CultureInfo.InvariantCulture)).Append(" ms");
            if (entry.Failed)
            {
                text.Append(" (failed)");
            }
        }
    }
}
