namespace DingGen;

/// <summary>
/// Reconnect delays: exponential growth with "decorrelated jitter" (each delay is drawn uniformly between the initial
/// delay and three times the previous one), capped at the maximum. Jitter spreads the reconnects of many hosts after a
/// gateway outage; the cap bounds the wait. <see cref="Reset"/> after a healthy connection starts over from the initial delay.
/// </summary>
/// <remarks>Not thread-safe: one instance per connection supervisor.</remarks>
internal sealed class DingStreamBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private TimeSpan _previous;

    public DingStreamBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        _initial = initial < TimeSpan.Zero ? TimeSpan.Zero : initial;
        _max = max < _initial ? _initial : max;
        _random = random;
        _previous = _initial;
    }

    /// <summary>How many delays were handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The next delay, in [initial, max].</summary>
    public TimeSpan Next()
    {
        Attempt++;
        var low = _initial.Ticks;

        // At least 1 ms of growth so a zero initial delay still backs off.
        var high = Math.Max(Math.Max(_previous.Ticks, TimeSpan.TicksPerMillisecond) * 3, low + 1);
        if (high > _max.Ticks)
        {
            high = _max.Ticks;
        }

        var ticks = high <= low ? low : low + (long)(_random.NextDouble() * (high - low));
        _previous = TimeSpan.FromTicks(ticks);
        return _previous;
    }

    /// <summary>Starts over from the initial delay (after a connection proved healthy).</summary>
    public void Reset()
    {
        Attempt = 0;
        _previous = _initial;
    }
}
