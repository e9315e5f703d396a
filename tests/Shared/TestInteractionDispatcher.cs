using System.Collections.Concurrent;
using DingGen.Events;

namespace DingGen.Tests.Shared;

/// <summary>
/// A hand-written stand-in for a generated dispatcher's robot and card half: one robot handler and one card handler (each may be
/// turned off, throw, block or return a response), recording every run, as generated code does.
/// </summary>
public sealed class TestInteractionDispatcher : IDingInteractionDispatcher
{
    public const string RobotHandlerName = "Tests.HelpdeskHandlers.OnMessage";
    public const string CardHandlerName = "Tests.HelpdeskHandlers.OnCardAction";

    public TestInteractionDispatcher(bool robots = true, bool cards = true)
    {
        HandlesRobotMessages = robots;
        HandlesCardCallbacks = cards;
    }

    public bool HandlesRobotMessages { get; }

    public bool HandlesCardCallbacks { get; }

    /// <summary>Runs for every robot message; may throw (the dispatch then fails naming <see cref="RobotHandlerName"/>).</summary>
    public Func<DingRobotMessageContext, ValueTask<DingRobotReply?>>? RobotHandler { get; set; }

    /// <summary>Runs for every card callback; may throw.</summary>
    public Func<DingCardCallbackContext, ValueTask<DingCardUpdate?>>? CardHandler { get; set; }

    /// <summary>When set, a robot message whose msgtype differs matches no handler (like a generated MsgType filter).</summary>
    public string? MsgTypeFilter { get; set; }

    public ConcurrentQueue<DingRobotMessageContext> RobotRuns { get; } = new();

    public ConcurrentQueue<DingCardCallbackContext> CardRuns { get; } = new();

    public async ValueTask<DingInteractionResult<DingRobotReply>> DispatchRobotMessageAsync(DingRobotMessageContext context)
    {
        if (!HandlesRobotMessages || (MsgTypeFilter is { } filter && context.Message.MsgType != filter))
        {
            return DingInteractionResult<DingRobotReply>.NotHandled;
        }

        RobotRuns.Enqueue(context);
        try
        {
            var reply = RobotHandler is { } handler ? await handler(context) : null;
            return DingInteractionResult<DingRobotReply>.Completed(null, reply is null ? null : [reply]);
        }
        catch (Exception ex)
        {
            return DingInteractionResult<DingRobotReply>.Completed([new DingHandlerFailure(RobotHandlerName, "robot_message", ex)], null);
        }
    }

    public async ValueTask<DingInteractionResult<DingCardUpdate>> DispatchCardCallbackAsync(DingCardCallbackContext context)
    {
        if (!HandlesCardCallbacks)
        {
            return DingInteractionResult<DingCardUpdate>.NotHandled;
        }

        CardRuns.Enqueue(context);
        try
        {
            var update = CardHandler is { } handler ? await handler(context) : null;
            return DingInteractionResult<DingCardUpdate>.Completed(null, update is null ? null : [update]);
        }
        catch (Exception ex)
        {
            return DingInteractionResult<DingCardUpdate>.Completed([new DingHandlerFailure(CardHandlerName, "card_callback", ex)], null);
        }
    }
}

/// <summary>An <see cref="IDingRobotReplySender"/> that records what it is asked to send, and fails for replies whose text says so.</summary>
public sealed class RecordingReplySender : IDingRobotReplySender
{
    public const string FailMarker = "FAIL-TO-SEND";

    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = new();

    public ConcurrentQueue<(DingRobotMessage Message, DingRobotReply Reply)> Sent { get; } = new();

    public Task SendAsync(DingRobotMessage message, DingRobotReply reply, CancellationToken cancellationToken = default)
    {
        if (reply.Text.Contains(FailMarker, StringComparison.Ordinal))
        {
            throw new DingRobotReplyException("the session webhook expired and no robot API is configured");
        }

        Sent.Enqueue((message, reply));
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => Sent.Count >= w.Count).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once <paramref name="count"/> replies were sent; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(int count, TimeSpan timeout)
    {
        lock (_waiters)
        {
            if (Sent.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(timeout);
        }
    }
}

/// <summary>Robot messages and card callbacks as DingTalk sends them (field names from DingTalk's stream SDK).</summary>
public static class InteractionSamples
{
    /// <summary>A marker inside every sample's user text: must never appear in a log.</summary>
    public const string TextMarker = "USER-TEXT-MARKER-51c9";

    public static string RobotMessage(string msgId = "msg-0001", string msgType = "text", string text = "status pi-42") =>
        $$"""
        {"conversationId":"cidQ0k5sK3xj8+Yx==","atUsers":[{"dingtalkId":"$:LWCP_v1:$abc"}],"chatbotCorpId":"dingcorp0001",
         "chatbotUserId":"$:LWCP_v1:$bot","msgId":"{{msgId}}","senderNick":"Li Lei","isAdmin":false,"senderStaffId":"manager7",
         "sessionWebhookExpiredTime":1893456000000,"createAt":1717034400000,"senderCorpId":"dingcorp0001","conversationType":"2",
         "senderId":"$:LWCP_v1:$sender","conversationTitle":"Helpdesk","isInAtList":true,
         "sessionWebhook":"https://oapi.dingtalk.com/robot/sendBySession?session=SESSION-SECRET-77",
         "text":{"content":" {{text}} {{TextMarker}}"},"robotCode":"dingrobot0001","msgtype":"{{msgType}}"}
        """;

    public static string CardCallback(string outTrackId = "card-0001", string actionId = "remind")
    {
        var content = "{\"cardPrivateData\":{\"actionIds\":[\"" + actionId + "\"],\"params\":{\"approval\":\"pi-42\",\"note\":\"" + TextMarker + "\"}}}";
        return "{\"outTrackId\":\"" + outTrackId + "\",\"corpId\":\"dingcorp0001\",\"userId\":\"manager7\",\"type\":\"actionCallback\",\"content\":"
            + System.Text.Json.JsonSerializer.Serialize(content) + ",\"extension\":\"{}\"}";
    }
}
