namespace DingGen;

/// <summary>
/// Reconnect delays: an exponential ceiling (the initial delay doubled on every attempt, capped at the maximum) with
/// "equal jitter": each delay is drawn uniformly between half the ceiling and the ceiling. The growth is guaranteed (a
/// failing gateway is not hammered), the jitter spreads the reconnects of many hosts after an outage, and no delay
/// exceeds the cap. <see cref="Reset"/> after a healthy connection starts over from the initial delay.
/// </summary>
/// <remarks>Not thread-safe: one instance per connection supervisor.</remarks>
internal sealed class DingStreamBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public DingStreamBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        _initial = initial < TimeSpan.Zero ? TimeSpan.Zero : initial;
        _max = max < _initial ? _initial : max;
        _random = random;
    }

    /// <summary>How many delays were handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The window the next delay is drawn from (<see cref="DingBackoff.Window"/>).</summary>
    public TimeSpan Ceiling => DingBackoff.Window(Attempt + 1, _initial, _max);

    /// <summary>The next delay (<see cref="DingBackoff.Delay"/>), then counts the attempt.</summary>
    public TimeSpan Next()
    {
        Attempt++;
        return DingBackoff.Delay(Attempt, _initial, _max, _random.NextDouble());
    }

    /// <summary>Starts over from the initial delay (after a connection proved healthy).</summary>
    public void Reset() => Attempt = 0;
}
