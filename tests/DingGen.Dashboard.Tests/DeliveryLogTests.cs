using Microsoft.Extensions.Time.Testing;

namespace DingGen.Dashboard.Tests;

public sealed class DeliveryLogTests
{
    private static DingDeliveryRecord Record(DateTimeOffset at, string app, DingDispatchStatus outcome, string id) =>
        new(at, app, "http_push", "user_add_org", id, outcome, TimeSpan.FromMilliseconds(3), outcome == DingDispatchStatus.Failed ? ["A.B.C"] : []);

    [Fact]
    public void The_ring_keeps_the_latest_deliveries_newest_first_per_app()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 10, 0, 30, TimeSpan.Zero));
        var log = new DingDashboardDeliveryLog(capacity: 4);
        for (var i = 0; i < 6; i++)
        {
            log.OnDelivered(Record(time.GetUtcNow(), i % 2 == 0 ? string.Empty : "hr", DingDispatchStatus.Handled, "e" + i));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(6, log.Total);
        Assert.Equal(["e5", "e4", "e3", "e2"], log.Recent(null, 10).Select(r => r.EventId));
        Assert.Equal(["e4", "e2"], log.Recent(string.Empty, 10).Select(r => r.EventId));
        Assert.Equal(["e5"], log.Recent("hr", 1).Select(r => r.EventId));
    }

    [Fact]
    public void Deliveries_are_counted_per_minute_and_outcome_for_the_last_hour_only()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 10, 0, 30, TimeSpan.Zero));
        var log = new DingDashboardDeliveryLog(capacity: 16);
        log.OnDelivered(Record(time.GetUtcNow(), string.Empty, DingDispatchStatus.Handled, "a"));
        log.OnDelivered(Record(time.GetUtcNow(), string.Empty, DingDispatchStatus.Failed, "b"));
        time.Advance(TimeSpan.FromMinutes(2));
        log.OnDelivered(Record(time.GetUtcNow(), string.Empty, DingDispatchStatus.NotHandled, "c"));

        var counts = log.PerMinute(time.GetUtcNow());
        Assert.Equal((1L, 0L, 1L), (counts[57, 0], counts[57, 1], counts[57, 2]));
        Assert.Equal((0L, 1L, 0L), (counts[59, 0], counts[59, 1], counts[59, 2]));

        // An hour later the old minutes are gone, and their buckets are reused for new minutes from zero.
        time.Advance(TimeSpan.FromMinutes(58));
        log.OnDelivered(Record(time.GetUtcNow(), string.Empty, DingDispatchStatus.Handled, "d"));
        counts = log.PerMinute(time.GetUtcNow());
        var total = 0L;
        foreach (var c in counts)
        {
            total += c;
        }

        Assert.Equal(2L, total); // "c" (58 minutes ago) and "d"
        Assert.Equal(1L, counts[59, 0]);
    }
}
