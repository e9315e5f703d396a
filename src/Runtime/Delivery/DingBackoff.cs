namespace DingGen;

/// <summary>
/// The one backoff formula of DingGen — stream reconnects, OpenAPI retries and inbox retries all wait this long: exponential growth
/// from an initial delay up to a cap, with "equal jitter" (a random point in the upper half of the window), so replicas that failed
/// together do not retry together and no wait ever exceeds the cap.
/// </summary>
internal static class DingBackoff
{
    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (1 for the first retry): the window is
    /// <c>min(<paramref name="max"/>, <paramref name="initial"/> · 2^(attempt − 1))</c> and the wait lies in its upper half,
    /// at <c>window · (0.5 + 0.5 · <paramref name="jitter"/>)</c>.
    /// </summary>
    /// <param name="attempt">Which retry this is, from 1; values below 1 count as 1.</param>
    /// <param name="initial">The first window; negative counts as zero.</param>
    /// <param name="max">The largest window; below <paramref name="initial"/> counts as <paramref name="initial"/>.</param>
    /// <param name="jitter">A number in [0, 1), usually <see cref="Random.NextDouble"/>.</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double jitter)
    {
        var window = Window(attempt, initial, max);
        var fraction = 0.5 + (0.5 * Math.Clamp(jitter, 0, 1));
        return TimeSpan.FromTicks((long)(window.Ticks * fraction));
    }

    /// <summary>The window of retry <paramref name="attempt"/>: <c>min(max, initial · 2^(attempt − 1))</c>.</summary>
    public static TimeSpan Window(int attempt, TimeSpan initial, TimeSpan max)
    {
        if (initial < TimeSpan.Zero)
        {
            initial = TimeSpan.Zero;
        }

        if (max < initial)
        {
            max = initial;
        }

        var window = initial.Ticks * Math.Pow(2, Math.Clamp(attempt - 1, 0, 62));
        return window >= max.Ticks ? max : TimeSpan.FromTicks((long)window);
    }
}
