using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DingGen;

/// <summary>
/// The composition of every registered <see cref="IDingEventDispatcher"/> (one per module assembly): one URL,
/// many modules. An event runs the handlers of every module that takes it, module by module in registration order.
/// </summary>
public sealed class DingEventRouter
{
    private readonly IDingEventDispatcher[] _dispatchers;

    /// <summary>Composes <paramref name="dispatchers"/>.</summary>
    public DingEventRouter(IEnumerable<IDingEventDispatcher> dispatchers)
    {
        ArgumentNullException.ThrowIfNull(dispatchers);
        _dispatchers = dispatchers.ToArray();
        var union = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dispatcher in _dispatchers)
        {
            union.UnionWith(dispatcher.HandledEventTypes);
        }

        HandledEventTypes = union.ToArray();
    }

    /// <summary>The dispatchers, in registration order.</summary>
    public IReadOnlyList<IDingEventDispatcher> Dispatchers => _dispatchers;

    /// <summary>The run-time union of every module's handled tags: distinct, ordinal order. This is what to register with DingTalk.</summary>
    public IReadOnlyList<string> HandledEventTypes { get; }

    /// <summary>
    /// Returns the interned tag string when a module handles <paramref name="utf8EventType"/>, else allocates it
    /// (an unhandled event type is acknowledged and counted, not rejected).
    /// </summary>
    public string GetEventType(ReadOnlySpan<byte> utf8EventType, out bool handled)
    {
        foreach (var dispatcher in _dispatchers)
        {
            if (dispatcher.TryMatchEventType(utf8EventType, out var eventType))
            {
                handled = true;
                return eventType;
            }
        }

        handled = false;
        return Encoding.UTF8.GetString(utf8EventType);
    }

    /// <summary>Whether any module handles <paramref name="utf8EventType"/>; returns its interned tag.</summary>
    public bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [NotNullWhen(true)] out string? eventType)
    {
        foreach (var dispatcher in _dispatchers)
        {
            if (dispatcher.TryMatchEventType(utf8EventType, out eventType))
            {
                return true;
            }
        }

        eventType = null;
        return false;
    }

    /// <summary>Runs every module's handlers of the event and combines their results (<see cref="DingDispatchResult.Combine"/>).</summary>
    public async ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = DingDispatchResult.NotHandled;
        foreach (var dispatcher in _dispatchers)
        {
            var moduleResult = await dispatcher.DispatchAsync(context).ConfigureAwait(false);
            result = DingDispatchResult.Combine(result, moduleResult);
        }

        return result;
    }
}
