using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DingGen.Bench.Payloads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Benchmarks;

/// <summary>
/// One HTTP push callback end to end without HTTP: <see cref="DingCallbackProcessor.ProcessAsync"/> with the query values and the
/// body of a signed, encrypted ~330-byte approval event, dispatched to an instance handler resolved in a DI scope (the same module
/// as <c>DispatchBenchmarks</c> with one event type), answered with the encrypted <c>success</c>. No logging provider, no metric or
/// activity listener (a host without telemetry).
/// <list type="bullet">
/// <item>Baseline, <c>crypto only</c>: what no implementation can skip — verify and decrypt the same callback and seal the same reply
/// with <see cref="DingCallbackCrypto"/> (the crypto floor is in <see cref="CallbackCryptoBenchmarks"/>), nothing else.</item>
/// <item><c>ProcessAsync</c>: everything the processor does on top: envelope parsing, the DI scope, the context, the typed payload,
/// metrics, logging checks and the reply's JSON.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project bench/DingGen.Benchmarks -- --filter '*CallbackProcessor*' --cpu-time</c>.
/// </summary>
[MemoryDiagnoser]
public class CallbackProcessorBenchmarks
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string OwnerKey = "dingzq4bkl7mxn0ofa2c";
    private const string Timestamp = "1717034400123";
    private const string Nonce = "bR4kWm9Z";

    private ServiceProvider _provider = null!;
    private DingCallbackProcessor _processor = null!;
    private DingCallbackCrypto _crypto = null!;
    private DingCallbackRequest _request;
    private string _encrypt = null!;
    private string _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:Token"] = Token,
            ["DingGen:AesKey"] = AesKey,
            ["DingGen:AppKey"] = OwnerKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<BenchSink>();
        services.AddDingJsonContext(BenchJsonContext.Default);
        services.AddDingGen(configuration.GetSection("DingGen"));
        services.AddDingModule<DingGenBenchHandlers1DingModule>();
        _provider = services.BuildServiceProvider();
        _processor = new DingCallbackProcessor(_provider);

        _crypto = new DingCallbackCrypto(Token, AesKey, OwnerKey);
        var payload = Dispatch.DispatchBenchmarks.PayloadJson("bpms_instance_change");
        _encrypt = _crypto.Encrypt(Encoding.UTF8.GetBytes(payload));
        _signature = _crypto.ComputeSignature(Timestamp, Nonce, _encrypt);
        var body = Encoding.UTF8.GetBytes("{\"encrypt\":\"" + _encrypt + "\"}");
        _request = new DingCallbackRequest(_signature, Timestamp, Nonce, body);
        Verify();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true, Description = "crypto only (verify, decrypt, seal reply)")]
    public DingSealedMessage CryptoOnly()
    {
        if (_crypto.TryDecrypt(_signature, Timestamp, Nonce, _encrypt, out _) != DingCryptoErrorCode.None)
        {
            throw new InvalidOperationException("The callback does not verify.");
        }

        return _crypto.CreateSuccessReply(Timestamp, Nonce);
    }

    [Benchmark(Description = "DingCallbackProcessor.ProcessAsync")]
    public ValueTask<DingCallbackResponse> ProcessAsync() => _processor.ProcessAsync(_request);

    /// <summary>The processor must answer 200 with a reply that opens to <c>success</c>, and run the handler once.</summary>
    private void Verify()
    {
        var sink = _provider.GetRequiredService<BenchSink>();
        var before = sink.Count;
        var response = ProcessAsync().AsTask().GetAwaiter().GetResult();
        using var reply = JsonDocument.Parse(response.Body);
        var root = reply.RootElement;
        var sealedReply = new DingSealedMessage(
            root.GetProperty("msg_signature").GetString()!, root.GetProperty("timeStamp").GetString()!, root.GetProperty("nonce").GetString()!, root.GetProperty("encrypt").GetString()!);
        if (response.StatusCode != 200 || sink.Count != before + 1
            || _crypto.Open(sealedReply, out var text) != DingCryptoErrorCode.None || Encoding.UTF8.GetString(text!) != "success")
        {
            throw new InvalidOperationException($"ProcessAsync did not handle the callback: {response.StatusCode} {Encoding.UTF8.GetString(response.Body.Span)}.");
        }
    }
}
