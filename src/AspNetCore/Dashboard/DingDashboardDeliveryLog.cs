namespace DingGen;

/// <summary>
/// The dashboard's <see cref="IDingDeliveryObserver"/>: keeps the latest deliveries in a bounded ring buffer and counts deliveries per
/// minute and outcome for the last hour. Lock-free: a slot is claimed with one <see cref="Interlocked.Increment(ref long)"/> and the
/// record (already allocated by the pipeline) is stored by reference; a minute bucket is one compare-and-swap when the minute turns and
/// one increment otherwise. Nothing is allocated per delivery. Payloads never reach it (<see cref="DingDeliveryRecord"/> has none).
/// </summary>
/// <remarks>
/// Counts are exact but for one race: an increment landing in a bucket at the instant another thread recycles it for a new minute can be
/// lost. The chart is an operator's view, not a ledger; <c>dinggen.deliveries</c> stays the exact count.
/// </remarks>
internal sealed class DingDashboardDeliveryLog : IDingDeliveryObserver
{
    /// <summary>Minutes the chart covers.</summary>
    public const int Minutes = 60;

    /// <summary>Outcomes counted per minute: handled, not handled, failed.</summary>
    public const int Outcomes = 3;

    private readonly DingDeliveryRecord?[] _ring;
    private readonly long[] _bucketMinute = new long[Minutes];
    private readonly long[] _bucketCounts = new long[Minutes * Outcomes];
    private long _next = -1;

    public DingDashboardDeliveryLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new DingDeliveryRecord?[capacity];
        Array.Fill(_bucketMinute, long.MinValue);
    }

    /// <summary>How many deliveries the ring keeps.</summary>
    public int Capacity => _ring.Length;

    /// <summary>How many deliveries were observed since start.</summary>
    public long Total => Interlocked.Read(ref _next) + 1;

    public void OnDelivered(DingDeliveryRecord record)
    {
        var index = Interlocked.Increment(ref _next);
        Volatile.Write(ref _ring[(int)(index % _ring.Length)], record);

        var minute = record.CompletedAt.ToUnixTimeSeconds() / 60;
        var bucket = (int)(minute % Minutes);
        var current = Volatile.Read(ref _bucketMinute[bucket]);
        if (current != minute)
        {
            if (current > minute)
            {
                return; // older than the bucket's minute (a late report of an hour ago): outside the chart.
            }

            if (Interlocked.CompareExchange(ref _bucketMinute[bucket], minute, current) == current)
            {
                for (var o = 0; o < Outcomes; o++)
                {
                    Interlocked.Exchange(ref _bucketCounts[(bucket * Outcomes) + o], 0);
                }
            }
        }

        Interlocked.Increment(ref _bucketCounts[(bucket * Outcomes) + OutcomeIndex(record.Outcome)]);
    }

    /// <summary>The kept deliveries, newest first, optionally of one app only.</summary>
    public List<DingDeliveryRecord> Recent(string? appName, int max)
    {
        var result = new List<DingDeliveryRecord>(Math.Min(max, _ring.Length));
        var newest = Interlocked.Read(ref _next);
        var oldest = Math.Max(0, newest - _ring.Length + 1);
        for (var i = newest; i >= oldest && result.Count < max; i--)
        {
            var record = Volatile.Read(ref _ring[(int)(i % _ring.Length)]);
            if (record is not null && (appName is null || string.Equals(record.AppName, appName, StringComparison.Ordinal)))
            {
                result.Add(record);
            }
        }

        // A slot overwritten while reading holds a newer record: keep the order by time.
        result.Sort(static (a, b) => b.CompletedAt.CompareTo(a.CompletedAt));
        return result;
    }

    /// <summary>
    /// Deliveries per minute and outcome (all apps), oldest minute first, the last of the <see cref="Minutes"/> rows being the minute of
    /// <paramref name="now"/>; each row holds handled, not handled and failed counts.
    /// </summary>
    public long[,] PerMinute(DateTimeOffset now)
    {
        var counts = new long[Minutes, Outcomes];
        var nowMinute = now.ToUnixTimeSeconds() / 60;
        for (var row = 0; row < Minutes; row++)
        {
            var minute = nowMinute - (Minutes - 1) + row;
            var bucket = (int)(((minute % Minutes) + Minutes) % Minutes);
            if (Volatile.Read(ref _bucketMinute[bucket]) != minute)
            {
                continue;
            }

            for (var o = 0; o < Outcomes; o++)
            {
                counts[row, o] = Interlocked.Read(ref _bucketCounts[(bucket * Outcomes) + o]);
            }
        }

        return counts;
    }

    /// <summary>0 handled, 1 not handled, 2 failed.</summary>
    public static int OutcomeIndex(DingDispatchStatus status) => status switch
    {
        DingDispatchStatus.Handled => 0,
        DingDispatchStatus.Failed => 2,
        _ => 1,
    };
}
