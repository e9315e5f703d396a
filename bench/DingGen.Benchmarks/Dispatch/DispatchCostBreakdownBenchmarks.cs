using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using DingGen.Bench.Payloads;
using Microsoft.Extensions.DependencyInjection;
using Handlers = DingGen.Bench.Handlers1.BenchHandlers;

namespace DingGen.Benchmarks.Dispatch;

/// <summary>
/// The pieces one dispatch of <see cref="DispatchBenchmarks"/> is made of, measured alone, to see where the time goes:
/// the JSON decode (source-generated metadata or reflection-based options), the DI scope, the context, the handler call
/// (direct or through <see cref="MethodBase.Invoke(object?, object?[])"/>) and the timestamp taken per handler.
/// </summary>
[MemoryDiagnoser]
public class DispatchCostBreakdownBenchmarks
{
    private readonly CancellationTokenSource _shutdown = new();
    private ServiceProvider _provider = null!;
    private JsonTypeInfo<ApprovalEvent> _typeInfo = null!;
    private JsonSerializerOptions _reflectionOptions = null!;
    private MethodInfo _method = null!;
    private Handlers _handler = null!;
    private ApprovalEvent _payloadRecord = null!;
    private DingEventContext _context = null!;
    private ReadOnlyMemory<byte> _payload;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<BenchSink>();
        services.AddDingJsonContext(BenchJsonContext.Default);
        services.AddDingModule<DingGenBenchHandlers1DingModule>();
        _provider = services.BuildServiceProvider();
        _typeInfo = _provider.GetRequiredService<DingJsonOptions>().TryGetTypeInfo<ApprovalEvent>()!;
        _reflectionOptions = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        _method = typeof(Handlers).GetMethod(nameof(Handlers.OnBpmsInstanceChange))!;
        _handler = new Handlers(_provider.GetRequiredService<BenchSink>());
        _payload = Encoding.UTF8.GetBytes(DispatchBenchmarks.PayloadJson("bpms_instance_change"));
        _payloadRecord = DecodeJsonTypeInfo();
        _context = NewContext();
        if (DecodeReflection() != _payloadRecord)
        {
            throw new InvalidOperationException("The two decoders disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _shutdown.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Decode: JsonTypeInfo<T> (source-generated)")]
    public ApprovalEvent DecodeJsonTypeInfo() => JsonSerializer.Deserialize(_payload.Span, _typeInfo)!;

    [Benchmark(Description = "Decode: Deserialize(Type, reflection options)")]
    public ApprovalEvent DecodeReflection() => (ApprovalEvent)JsonSerializer.Deserialize(_payload.Span, typeof(ApprovalEvent), _reflectionOptions)!;

    [Benchmark(Description = "DI: create scope, resolve handler, dispose")]
    public async ValueTask<Handlers> ScopeResolveDispose()
    {
        await using var scope = _provider.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<Handlers>();
    }

    [Benchmark(Description = "new DingEventContext")]
    public DingEventContext NewContext() => new("bpms_instance_change", _payload, _provider) { CancellationToken = _shutdown.Token };

    [Benchmark(Description = "Call: direct")]
    public Task CallDirect() => _handler.OnBpmsInstanceChange(_payloadRecord, _context, _context.CancellationToken);

    [Benchmark(Description = "Call: MethodInfo.Invoke (args array, boxed token)")]
    public object? CallReflection() => _method.Invoke(_handler, [_payloadRecord, _context, _context.CancellationToken]);

    [Benchmark(Description = "TimeProvider.System.GetTimestamp")]
    public long Timestamp() => _context.TimeProvider.GetTimestamp();
}
