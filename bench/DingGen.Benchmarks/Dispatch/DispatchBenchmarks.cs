using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using DingGen.Bench.Payloads;
using DingGen.Benchmarks.HandWritten;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Benchmarks.Dispatch;

/// <summary>
/// One decrypted approval-like event (about 300 bytes of JSON, a user record taken with <c>[DingPayload]</c>) dispatched to
/// an instance handler resolved in a DI scope per event, for modules of 1, 10 and 100 event types. The event is the
/// module's last tag in ordinal order. Every method creates the <see cref="DingEventContext"/> it dispatches, as a host
/// does per delivery; the hand-written switch is the baseline.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly CancellationTokenSource _shutdown = new();
    private ServiceProvider _provider = null!;
    private DingEventRouter _router = null!;
    private IDingEventDispatcher _dispatcher = null!;
    private IHandWrittenDispatcher _handWritten = null!;
    private ReflectionDispatcher _reflection = null!;
    private string _eventType = null!;
    private ReadOnlyMemory<byte> _payload;

    /// <summary>How many event types the module handles (which module's dispatcher and handlers are used).</summary>
    [Params(1, 10, 100)]
    public int EventTypes { get; set; }

    /// <summary>The payload, with <c>EventType</c> set to <paramref name="eventType"/>.</summary>
    public static string PayloadJson(string eventType) =>
        "{\"EventType\":\"" + eventType + "\",\"processInstanceId\":\"a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"corpId\":\"ding3f2a1b0c9d8e7f6a\"," +
        "\"createTime\":1717036600400,\"finishTime\":\"1717036800400\",\"title\":\"张三提交的请假申请\",\"type\":\"finish\"," +
        "\"result\":\"agree\",\"staffId\":\"manager7\",\"processCode\":\"PROC-4F1C2B3A-0D9E-4E8F-A7B6-C5D4E3F2A1B0\"}";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<BenchSink>();
        services.AddDingJsonContext(BenchJsonContext.Default);
        Type handlerType;
        switch (EventTypes)
        {
            case 1:
                services.AddDingModule<DingGenBenchHandlers1DingModule>();
                handlerType = typeof(Bench.Handlers1.BenchHandlers);
                break;
            case 10:
                services.AddDingModule<DingGenBenchHandlers10DingModule>();
                handlerType = typeof(Bench.Handlers10.BenchHandlers);
                break;
            case 100:
                services.AddDingModule<DingGenBenchHandlers100DingModule>();
                handlerType = typeof(Bench.Handlers100.BenchHandlers);
                break;
            default:
                throw new InvalidOperationException($"No module with {EventTypes} event types.");
        }

        _provider = services.BuildServiceProvider();
        _router = _provider.GetRequiredService<DingEventRouter>();
        _dispatcher = _provider.GetRequiredService<IDingEventDispatcher>();
        var payloadInfo = _provider.GetRequiredService<DingJsonOptions>().TryGetTypeInfo<ApprovalEvent>()
            ?? throw new InvalidOperationException("ApprovalEvent has no JSON metadata.");
        _handWritten = EventTypes switch
        {
            1 => new HandWrittenDispatcher1(payloadInfo),
            10 => new HandWrittenDispatcher10(payloadInfo),
            _ => new HandWrittenDispatcher100(payloadInfo),
        };
        _reflection = new ReflectionDispatcher(handlerType, ReflectionOptions());

        var tags = _dispatcher.HandledEventTypes;
        if (tags.Count != EventTypes)
        {
            throw new InvalidOperationException($"The module handles {tags.Count} event types, expected {EventTypes}.");
        }

        _eventType = tags[^1];
        _payload = Encoding.UTF8.GetBytes(PayloadJson(_eventType));
        Verify();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _shutdown.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Hand-written switch")]
    public ValueTask<DingDispatchResult> HandWritten() => _handWritten.DispatchAsync(NewContext());

    [Benchmark(Description = "Generated, via DingEventRouter")]
    public ValueTask<DingDispatchResult> GeneratedRouter() => _router.DispatchAsync(NewContext());

    [Benchmark(Description = "Generated, IDingEventDispatcher")]
    public ValueTask<DingDispatchResult> GeneratedDispatcher() => _dispatcher.DispatchAsync(NewContext());

    [Benchmark(Description = "Reflection (MethodInfo.Invoke)")]
    public ValueTask<DingDispatchResult> Reflection() => _reflection.DispatchAsync(NewContext());

    private DingEventContext NewContext() => new(_eventType, _payload, _provider) { CancellationToken = _shutdown.Token };

    /// <summary>The reflection-based options with DingTalk's parsing rules (as the catalogue context declares them).</summary>
    private static JsonSerializerOptions ReflectionOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Every path must handle the event once and decode the same payload, or the numbers mean nothing.</summary>
    private void Verify()
    {
        var sink = _provider.GetRequiredService<BenchSink>();
        ApprovalEvent? first = null;
        foreach (var (name, dispatch) in new (string, Func<ValueTask<DingDispatchResult>>)[]
        {
            ("hand-written", HandWritten),
            ("router", GeneratedRouter),
            ("dispatcher", GeneratedDispatcher),
            ("reflection", Reflection),
        })
        {
            var before = sink.Count;
            var result = dispatch().AsTask().GetAwaiter().GetResult();
            if (result.Status != DingDispatchStatus.Handled || sink.Count != before + 1 || sink.LastPayload is not { } payload)
            {
                throw new InvalidOperationException($"The {name} path did not handle '{_eventType}' exactly once: {result}.");
            }

            first ??= payload;
            if (payload != first || payload.EventType != _eventType || payload.FinishTime != 1717036800400 || payload.Title != "张三提交的请假申请")
            {
                throw new InvalidOperationException($"The {name} path decoded a different payload: {payload}.");
            }
        }
    }
}
