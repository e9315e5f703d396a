using System.Text;
using DingGen.Runtime.Tests.Dispatch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Runtime.Tests.Delivery;

/// <summary><see cref="IDingDeliveryObserver"/>: every finished delivery is reported with its metadata only, and an observer cannot change an outcome.</summary>
public sealed class DeliveryObserverTests
{
    private const string ChatTitle = """{"EventType":"chat_update_title","chatId":"chat5e1f","title":"项目协作群","eventId":"evt-title-1","CorpId":"dingcorp0001"}""";
    private const string ChatDisband = """{"EventType":"chat_disband","chatId":"chat5e1f","eventId":"evt-disband-1","CorpId":"dingcorp0001"}""";
    private const string Unknown = """{"EventType":"calendar_event_change","eventId":"evt-calendar-1"}""";

    [Fact(Timeout = 30_000)]
    public async Task Every_delivery_is_reported_with_its_metadata_and_outcome()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var observer = new RecordingObserver();
        await using var services = Build(time, observer);
        var pipeline = services.GetRequiredService<DingDeliveryPipeline>();

        var handled = await pipeline.DeliverAsync(Delivery("chat_update_title", ChatTitle, DingDeliveryChannel.Stream));
        var failed = await pipeline.DeliverAsync(Delivery("chat_disband", ChatDisband, DingDeliveryChannel.HttpPush));
        var unhandled = await pipeline.DeliverAsync(Delivery("calendar_event_change", Unknown, DingDeliveryChannel.Recovery) with { InboxEntryId = 42 });

        Assert.Equal(DingDispatchStatus.Handled, handled.Status);
        Assert.Equal(DingDispatchStatus.Failed, failed.Status);
        Assert.Equal(DingDispatchStatus.NotHandled, unhandled.Status);

        var records = observer.Records;
        Assert.Equal(3, records.Count);
        Assert.Equal(new DingDeliveryRecord(time.GetUtcNow(), string.Empty, "stream", "chat_update_title", "evt-title-1", DingDispatchStatus.Handled, records[0].Duration, []), records[0] with { FailedHandlers = [] });
        Assert.Empty(records[0].FailedHandlers);

        Assert.Equal("http_push", records[1].Channel);
        Assert.Equal("chat_disband", records[1].EventType);
        Assert.Equal("evt-disband-1", records[1].EventId);
        Assert.Equal(DingDispatchStatus.Failed, records[1].Outcome);
        var failedHandler = Assert.Single(records[1].FailedHandlers);
        Assert.EndsWith("ChatHandlers.Throws", failedHandler, StringComparison.Ordinal);

        // An inbox entry is reported on the inbox channel, whatever channel first brought it.
        Assert.Equal("inbox", records[2].Channel);
        Assert.Equal(DingDispatchStatus.NotHandled, records[2].Outcome);
        Assert.Equal("evt-calendar-1", records[2].EventId);
    }

    [Fact]
    public void The_record_carries_metadata_only_never_the_payload()
    {
        // Compile-time shape check made at run time: no member of the record can hold the event's bytes or its JSON.
        var types = typeof(DingDeliveryRecord).GetProperties().Select(static p => p.PropertyType).ToArray();
        Assert.DoesNotContain(typeof(ReadOnlyMemory<byte>), types);
        Assert.DoesNotContain(typeof(byte[]), types);
        Assert.DoesNotContain(typeof(System.Text.Json.JsonElement), types);
        Assert.DoesNotContain(typeof(DingDelivery), types);
        Assert.DoesNotContain(typeof(DingEventContext), types);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_observer_that_throws_changes_no_outcome_and_does_not_stop_the_others()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var after = new RecordingObserver();
        await using var services = Build(time, new ThrowingObserver(), after);
        var pipeline = services.GetRequiredService<DingDeliveryPipeline>();

        var handled = await pipeline.DeliverAsync(Delivery("chat_update_title", ChatTitle, DingDeliveryChannel.HttpPush));
        var failed = await pipeline.DeliverAsync(Delivery("chat_disband", ChatDisband, DingDeliveryChannel.Stream));

        Assert.Equal(DingDispatchStatus.Handled, handled.Status);
        Assert.Equal(DingDispatchStatus.Failed, failed.Status);
        Assert.Equal(["evt-title-1", "evt-disband-1"], after.Records.Select(static r => r.EventId));

        // The handlers ran exactly as without observers: both chat_update_title handlers, and the failing chat_disband one plus its sibling.
        var calls = services.GetRequiredService<Recorder>().Calls.Select(static c => c.Handler).Order(StringComparer.Ordinal);
        Assert.Equal(["AfterThrow", "First", "Second", "Throws"], calls);
    }

    // The channel reads DingTalk's event id from the envelope, as every channel adapter does.
    private static DingDelivery Delivery(string eventType, string json, DingDeliveryChannel channel)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        Assert.True(DingEnvelope.TryRead(payload, out var envelope, out _));
        return new(eventType, payload) { Channel = channel, EventId = envelope.StableId, CorpId = envelope.CorpId, ReceivedAt = DateTimeOffset.UnixEpoch };
    }

    private static ServiceProvider Build(TimeProvider time, params IDingDeliveryObserver[] observers)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:Token"] = "Tk7vQ2mR9x",
            ["DingGen:AesKey"] = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS",
            ["DingGen:AppKey"] = "dingzq4bkl7mxn0ofa2c",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton<Recorder>();
        services.AddScoped<PerEventService>();
        services.AddKeyedSingleton("utc", new KeyedClock("utc-clock"));
        services.AddDingGen(configuration.GetSection("DingGen"));
        services.AddDingEventHandlers();
        services.AddDingJsonContext(TestJsonContext.Default);
        foreach (var observer in observers)
        {
            services.AddSingleton(observer);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private sealed class RecordingObserver : IDingDeliveryObserver
    {
        private readonly List<DingDeliveryRecord> _records = new();

        public IReadOnlyList<DingDeliveryRecord> Records
        {
            get
            {
                lock (_records)
                {
                    return _records.ToArray();
                }
            }
        }

        public void OnDelivered(DingDeliveryRecord record)
        {
            lock (_records)
            {
                _records.Add(record);
            }
        }
    }

    private sealed class ThrowingObserver : IDingDeliveryObserver
    {
        public void OnDelivered(DingDeliveryRecord record) => throw new InvalidOperationException("observer failed on purpose");
    }
}
