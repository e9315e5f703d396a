namespace DingGen.Stream.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Delays_double_with_jitter_and_never_exceed_the_cap()
    {
        var initial = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(60);
        var backoff = new DingStreamBackoff(initial, max, new Random(20261128));

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.Next()).ToArray();

        // Attempt n waits between half of and the full min(60 s, 1 s × 2^n).
        for (var n = 0; n < delays.Length; n++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(n, 30))));
            Assert.InRange(delays[n], ceiling / 2, ceiling);
        }

        Assert.All(delays, d => Assert.True(d <= max));
        Assert.True(delays.Skip(10).Distinct().Count() > 900, "jitter: delays at the cap still differ");
        Assert.Contains(delays.Skip(10), d => d < TimeSpan.FromSeconds(35));
        Assert.Contains(delays.Skip(10), d => d > TimeSpan.FromSeconds(55));
    }

    [Fact]
    public void Reset_starts_over_from_the_initial_delay()
    {
        var initial = TimeSpan.FromMilliseconds(500);
        var backoff = new DingStreamBackoff(initial, TimeSpan.FromSeconds(60), new Random(7));
        for (var i = 0; i < 50; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.Next(), initial / 2, initial);
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        static TimeSpan[] Run(int seed)
        {
            var backoff = new DingStreamBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(seed));
            return Enumerable.Range(0, 10).Select(_ => backoff.Next()).ToArray();
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void A_huge_attempt_count_does_not_overflow()
    {
        var backoff = new DingStreamBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(60), new Random(3));
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(backoff.Next(), TimeSpan.Zero, TimeSpan.FromSeconds(60));
        }
    }
}
