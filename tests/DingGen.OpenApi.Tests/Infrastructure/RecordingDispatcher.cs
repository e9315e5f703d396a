using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DingGen.OpenApi.Tests.Infrastructure;

/// <summary>A hand-written stand-in for a generated dispatcher: handles fixed tags and records the events it saw.</summary>
public sealed class RecordingDispatcher(params string[] eventTypes) : IDingEventDispatcher
{
    private readonly string[] _tags = eventTypes.Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> HandledEventTypes => _tags;

    public ConcurrentQueue<string> Handled { get; } = new();

    public bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [NotNullWhen(true)] out string? eventType)
    {
        foreach (var tag in _tags)
        {
            if (utf8EventType.SequenceEqual(Encoding.UTF8.GetBytes(tag)))
            {
                eventType = tag;
                return true;
            }
        }

        eventType = null;
        return false;
    }

    public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        Handled.Enqueue(context.EventType);
        return ValueTask.FromResult(DingDispatchResult.Handled);
    }
}
