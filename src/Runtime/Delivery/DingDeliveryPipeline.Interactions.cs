using DingGen.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// The outcome of delivering a card callback: the handlers' status and failures, and their card updates merged in handler order
/// (<see cref="DingCardUpdate.Merge"/>: a later handler's value of the same key wins).
/// </summary>
/// <param name="Dispatch">The status and the failed handlers.</param>
/// <param name="Update">The merged update; <see langword="null"/> when no handler returned one (or every one was empty).</param>
public readonly record struct DingCardCallbackResult(DingDispatchResult Dispatch, DingCardUpdate? Update);

public sealed partial class DingDeliveryPipeline
{
    private readonly DingInteractionRouter _interactions;
    private readonly IServiceProvider? _services;

    private IServiceProvider Services => _services ?? throw new InvalidOperationException("DingGen: this pipeline was built without the host's services; resolve DingDeliveryPipeline from the container AddDingGen filled.");

    /// <summary>The composition of every module's robot and card handlers.</summary>
    public DingInteractionRouter InteractionRouter => _interactions;

    /// <summary>
    /// Runs every matching <see cref="DingRobotMessageAttribute"/> handler of every module for <paramref name="message"/>, then sends
    /// the replies they returned, in handler order, through <see cref="IDingRobotReplySender"/>. Logs (category
    /// <c>DingGen.Delivery</c>, never the message's text), counts (<c>dinggen.deliveries</c> with event type <c>robot_message</c>) and
    /// notifies the <see cref="IDingDeliveryObserver"/>s like <see cref="DeliverAsync"/>. Never throws for a failing handler, a throwing
    /// dispatcher or a reply that cannot be sent: a reply that fails is logged, and the others are still sent.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="channel">How it arrived (<see cref="DingDeliveryChannel.Stream"/> or <see cref="DingDeliveryChannel.HttpPush"/>).</param>
    /// <param name="appName">The app's <c>AddDingGen</c> name; empty or <see langword="null"/> for the default app.</param>
    /// <param name="receivedAt">When the host received it; now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Handed to the handlers (the host's stopping token) and to the reply sender.</param>
    /// <returns>The handlers' status and failures (replies that could not be sent do not change it).</returns>
    public async ValueTask<DingDispatchResult> DeliverRobotMessageAsync(
        DingRobotMessage message, DingDeliveryChannel channel, string? appName = null, DateTimeOffset? receivedAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = _time.GetTimestamp();
        DingInteractionResult<DingRobotReply> result;
        // The generated dispatcher creates the handlers' DI scope from the root services.
        var context = new DingRobotMessageContext(message, Services)
        {
            Channel = channel,
            AppName = string.IsNullOrEmpty(appName) ? null : appName,
            ReceivedAt = receivedAt ?? _time.GetUtcNow(),
            CancellationToken = cancellationToken,
            TimeProvider = _time,
        };

        try
        {
            result = await _interactions.DispatchRobotMessageAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = DingInteractionResult<DingRobotReply>.Create(
                DingDispatchResult.Failed([DingHandlerFailure.OfDispatcher(DingInteractionJson.RobotMessageType, ex)]), null);
        }

        var elapsed = _time.GetElapsedTime(start);
        var app = DingGenServiceCollectionExtensions.DisplayName(appName);
        var channelName = DingDelivery.NameOf(channel);
        Report(DingInteractionJson.RobotMessageType, message.MsgId, appName, app, channelName, message.SenderCorpId, result.Dispatch, elapsed,
            "robot messages are not redelivered: the message is dropped (the other handlers' replies are still sent)",
            static m => "msgtype " + m.MsgType + ", robot " + (m.RobotCode ?? "(none)"), message);

        if (result.Responses.Count > 0)
        {
            await SendRepliesAsync(message, result.Responses, app, cancellationToken).ConfigureAwait(false);
        }

        return result.Dispatch;
    }

    /// <summary>
    /// Runs every matching <see cref="DingCardCallbackAttribute"/> handler of every module for <paramref name="callback"/> and merges
    /// the card updates they returned in handler order. Logs, counts (event type <c>card_callback</c>) and notifies observers like
    /// <see cref="DeliverAsync"/>. Never throws for a failing handler or a throwing dispatcher.
    /// </summary>
    /// <param name="callback">The callback.</param>
    /// <param name="channel">How it arrived.</param>
    /// <param name="appName">The app's <c>AddDingGen</c> name; empty or <see langword="null"/> for the default app.</param>
    /// <param name="receivedAt">When the host received it; now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Handed to the handlers (the host's stopping token).</param>
    public async ValueTask<DingCardCallbackResult> DeliverCardCallbackAsync(
        DingCardCallback callback, DingDeliveryChannel channel, string? appName = null, DateTimeOffset? receivedAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var start = _time.GetTimestamp();
        DingInteractionResult<DingCardUpdate> result;
        // The generated dispatcher creates the handlers' DI scope from the root services.
        var context = new DingCardCallbackContext(callback, Services)
        {
            Channel = channel,
            AppName = string.IsNullOrEmpty(appName) ? null : appName,
            ReceivedAt = receivedAt ?? _time.GetUtcNow(),
            CancellationToken = cancellationToken,
            TimeProvider = _time,
        };

        try
        {
            result = await _interactions.DispatchCardCallbackAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = DingInteractionResult<DingCardUpdate>.Create(
                DingDispatchResult.Failed([DingHandlerFailure.OfDispatcher(DingInteractionJson.CardCallbackType, ex)]), null);
        }

        DingCardUpdate? merged = null;
        foreach (var update in result.Responses)
        {
            merged = (merged ?? new DingCardUpdate()).Merge(update);
        }

        var elapsed = _time.GetElapsedTime(start);
        var app = DingGenServiceCollectionExtensions.DisplayName(appName);
        var channelName = DingDelivery.NameOf(channel);
        Report(DingInteractionJson.CardCallbackType, callback.OutTrackId, appName, app, channelName, callback.CorpId, result.Dispatch, elapsed,
            channel == DingDeliveryChannel.Stream ? "acknowledged with code 500: the card is not updated" : "answered 500: the card is not updated",
            static c => c.ActionIds.Count == 0 ? "no action id" : "action ids " + string.Join(", ", c.ActionIds), callback);

        return new DingCardCallbackResult(result.Dispatch, merged is { IsEmpty: false } ? merged : null);
    }

    /// <summary>Logs the failures and the outcome, counts the delivery and notifies the observers.</summary>
    private void Report<T>(
        string eventType, string id, string? appName, string app, string channel, string? corpId, DingDispatchResult result, TimeSpan elapsed,
        string consequence, Func<T, string> describeFilter, T item)
    {
        string outcome;
        switch (result.Status)
        {
            case DingDispatchStatus.Failed:
                foreach (var failure in result.Failures)
                {
                    if (failure.IsDispatcherFailure)
                    {
                        DingDeliveryLog.DispatcherFailed(_logger, failure.Exception, eventType, id, app, channel, consequence);
                    }
                    else
                    {
                        DingDeliveryLog.HandlerFailed(_logger, failure.Exception, failure.HandlerName, eventType, id, app, channel, consequence);
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
                    DingDeliveryLog.InteractionUnhandled(_logger, eventType, id, app, channel, describeFilter(item));
                }

                break;
        }

        _metrics.Delivered(app, channel, eventType, outcome, elapsed);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            DingDeliveryLog.Completed(_logger, eventType, id, app, channel, corpId, outcome, elapsed.TotalMilliseconds);
        }

        if (_observers.Length > 0)
        {
            var failed = new string[result.Failures.Count];
            for (var i = 0; i < failed.Length; i++)
            {
                failed[i] = result.Failures[i].HandlerName;
            }

            var record = new DingDeliveryRecord(_time.GetUtcNow(), appName ?? string.Empty, channel, eventType, id, result.Status, elapsed, failed);
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
    }

    /// <summary>Sends the handlers' replies in order; each failure is logged and the next reply is still sent.</summary>
    private async Task SendRepliesAsync(DingRobotMessage message, IReadOnlyList<DingRobotReply> replies, string app, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetService<IDingRobotReplySender>();
        if (sender is null)
        {
            DingDeliveryLog.ReplySenderMissing(_logger, replies.Count, message.MsgId, app);
            return;
        }

        for (var i = 0; i < replies.Count; i++)
        {
            try
            {
                await sender.SendAsync(message, replies[i], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var reason = ex is DingRobotReplyException ? ex.Message : ex.GetType().Name + " from the reply sender";
                DingDeliveryLog.ReplyFailed(_logger, ex, i + 1, replies.Count, replies[i].Kind.ToString(), message.MsgId, app, reason);
            }
        }
    }
}
