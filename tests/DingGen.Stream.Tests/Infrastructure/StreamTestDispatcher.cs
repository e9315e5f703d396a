using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DingGen.Stream.Tests.Infrastructure;

/// <summary>
/// A hand-written stand-in for a generated dispatcher: handles a fixed set of tags, records every handler run, and runs
/// <see cref="Handler"/> (which may throw or block) as one handler named <see cref="HandlerName"/>.
/// </summary>
public sealed class StreamTestDispatcher : IDingEventDispatcher
{
    public const string HandlerName = "Tests.StreamHandlers.OnEvent";

    private readonly string[] _tags;
    private readonly byte[][] _utf8Tags;

    public StreamTestDispatcher(params string[] eventTypes)
    {
        _tags = eventTypes.Order(StringComparer.Ordinal).ToArray();
        _utf8Tags = _tags.Select(static t => Encoding.UTF8.GetBytes(t)).ToArray();
    }

    public IReadOnlyList<string> HandledEventTypes => _tags;

    /// <summary>Runs for every handled event with the 1-based run number; may throw or block.</summary>
    public Func<DingEventContext, int, Task>? Handler { get; set; }

    /// <summary>The handler runs, with a copy of the payload (valid only during the run).</summary>
    public ConcurrentQueue<(DingEventContext Context, string Payload)> Runs { get; } = new();

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
        if (!_tags.Contains(context.EventType, StringComparer.Ordinal))
        {
            return DingDispatchResult.NotHandled;
        }

        Runs.Enqueue((context, Encoding.UTF8.GetString(context.Payload.Span)));
        var start = context.TimeProvider.GetTimestamp();
        try
        {
            if (Handler is { } handler)
            {
                await handler(context, Runs.Count);
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
