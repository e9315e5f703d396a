using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DingGen.Tests.Shared;

/// <summary>
/// A hand-written stand-in for a generated dispatcher: handles a fixed set of tags, records every call, and runs
/// <see cref="Handler"/> (which may throw or be slow) as one handler named <see cref="HandlerName"/>, reporting its duration
/// through <see cref="DingEventContext.ReportHandlerCompleted"/> as generated code does.
/// </summary>
public sealed class TestDispatcher : IDingEventDispatcher
{
    public const string DefaultHandlerName = "Tests.ApprovalHandlers.OnInstanceChange";

    private readonly string[] _tags;
    private readonly byte[][] _utf8Tags;

    public TestDispatcher(params string[] eventTypes)
    {
        _tags = eventTypes.Order(StringComparer.Ordinal).ToArray();
        _utf8Tags = _tags.Select(static t => Encoding.UTF8.GetBytes(t)).ToArray();
    }

    public static TestDispatcher Default() => new("bpms_instance_change", "user_add_org");

    public IReadOnlyList<string> HandledEventTypes => _tags;

    public string HandlerName { get; init; } = DefaultHandlerName;

    /// <summary>Runs for every handled event; may throw (the dispatch then fails naming <see cref="HandlerName"/>).</summary>
    public Func<DingEventContext, ValueTask>? Handler { get; set; }

    /// <summary>Every DispatchAsync call, handled or not.</summary>
    public ConcurrentQueue<DingEventContext> Calls { get; } = new();

    /// <summary>The calls on which the handler ran.</summary>
    public ConcurrentQueue<DingEventContext> HandlerRuns { get; } = new();

    /// <summary>The interned tag string, to check the endpoint passes it on without allocating its own.</summary>
    public string Tag(string eventType) => _tags.Single(t => t == eventType);

    public bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [NotNullWhen(true)] out string? eventType)
    {
        for (var i = 0; i < _utf8Tags.Length; i++)
        {
            if (utf8EventType.SequenceEqual(_utf8Tags[i]))
            {
                eventType = _tags[i];
                return true;
            }
        }

        eventType = null;
        return false;
    }

    public async ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        Calls.Enqueue(context);
        if (!_tags.Contains(context.EventType, StringComparer.Ordinal))
        {
            return DingDispatchResult.NotHandled;
        }

        HandlerRuns.Enqueue(context);
        var start = context.TimeProvider.GetTimestamp();
        try
        {
            if (Handler is { } handler)
            {
                await handler(context);
            }
        }
        catch (Exception ex)
        {
            context.ReportHandlerCompleted(HandlerName, start, ex);
            return DingDispatchResult.Failed([new DingHandlerFailure(HandlerName, context.EventType, ex)]);
        }

        context.ReportHandlerCompleted(HandlerName, start, null);
        return DingDispatchResult.Handled;
    }
}
