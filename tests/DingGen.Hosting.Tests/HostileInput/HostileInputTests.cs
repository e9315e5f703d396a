using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using CsCheck;
using DingGen.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace DingGen.Hosting.Tests.HostileInput;

/// <summary>
/// Property test of the real endpoint (<c>MapDingCallback</c> in a real host) against mutants of genuine callbacks: a
/// handler runs if and only if the mutant still verifies and decrypts (decided by <see cref="HostileOracle"/> from the bytes
/// actually sent); everything else is answered 4xx; never a 5xx, never an error logged by the server, and the managed heap
/// does not grow between request 10,000 and 100,000.
/// </summary>
/// <remarks>
/// 100,000 requests go through ASP.NET Core's in-memory <c>TestServer</c>: the same host, middleware and endpoint pipeline
/// as Kestrel minus the sockets and HTTP/1.1 parsing, about ten times faster, so the run fits CI on two slow cores. A
/// further 10,000 go through real Kestrel on loopback, to cover the socket path (Content-Length vs chunked, early 413).
/// CsCheck prints the seed of a failing sample; set it with <c>CsCheck_Seed</c> to replay.
/// </remarks>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int MaxBodyBytes = DingGenOptions.DefaultMaxBodyBytes;
    private const long HeapGrowthLimit = 10 * 1024 * 1024;
    private static readonly DingCallbackCrypto Oracle = new(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
    private static readonly Testing.DingTalkSimulator Simulator = new(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);

    [Fact(Timeout = 600_000)]
    public async Task A_hundred_thousand_mutants_through_the_endpoint_in_memory()
    {
        await using var fixture = await HostileHost.StartAsync(inMemory: true);
        var run = new Run(fixture);
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        await HostileMutations.Requests(MaxBodyBytes).SampleAsync(run.CheckAsync, iter: 10_000);
        var heapAt10k = FullGcHeap();
        await HostileMutations.Requests(MaxBodyBytes).SampleAsync(run.CheckAsync, iter: 90_000);
        var heapAt100k = FullGcHeap();

        output.WriteLine($"in-memory: {run.Total:N0} requests in {stopwatch.Elapsed.TotalSeconds:0.0} s ({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s CPU); heap {heapAt10k / 1024.0 / 1024:0.0} MB at 10,000 -> {heapAt100k / 1024.0 / 1024:0.0} MB at 100,000");
        output.WriteLine(run.Describe());
        run.AssertCoverage(100_000);
        fixture.AssertNoServerErrors();
        Assert.True(heapAt100k - heapAt10k < HeapGrowthLimit, $"managed heap grew by {(heapAt100k - heapAt10k) / 1024.0 / 1024:0.0} MB between request 10,000 and 100,000");
    }

    [Fact(Timeout = 600_000)]
    public async Task Ten_thousand_mutants_through_real_Kestrel()
    {
        await using var fixture = await HostileHost.StartAsync(inMemory: false);
        var run = new Run(fixture);
        var stopwatch = Stopwatch.StartNew();

        await HostileMutations.Requests(MaxBodyBytes).SampleAsync(run.CheckAsync, iter: 10_000);

        output.WriteLine($"Kestrel: {run.Total:N0} requests in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(run.Describe());
        run.AssertCoverage(10_000);
        fixture.AssertNoServerErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_oracle_agrees_with_the_endpoint_on_hand_picked_cases()
    {
        // Guards the property test against an oracle that cannot fail: one request of each decisive shape.
        await using var fixture = await HostileHost.StartAsync(inMemory: true);
        var run = new Run(fixture);
        foreach (var kind in Enum.GetValues<HostileMutations.Kind>())
        {
            for (var seed = 0; seed < 20; seed++)
            {
                await run.CheckAsync(HostileMutations.Build((ulong)seed + 1, "ABCDEFGHIJKLMNOP", "n0nce123", "1717034400923", kind, seed, MaxBodyBytes));
            }
        }

        var control = HostileMutations.Build(7, "ABCDEFGHIJKLMNOP", "n0nce123", "1717034400923", HostileMutations.Kind.Control, 1, MaxBodyBytes);
        Assert.True(HostileOracle.ShouldBeServed(control, Oracle, MaxBodyBytes, out _, out _));
        var broken = control with { Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(control.Body).Replace("\"}", "A\"}", StringComparison.Ordinal)) };
        Assert.False(HostileOracle.ShouldBeServed(broken, Oracle, MaxBodyBytes, out _, out _));
        fixture.AssertNoServerErrors();
        Assert.True(run.Served > 0);
        Assert.True(run.Rejected > 0);
    }

    private static long FullGcHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Sends one mutant and checks the answer against the oracle; counts outcomes per kind.</summary>
    private sealed class Run(HostileHost host)
    {
        private readonly ConcurrentDictionary<string, int[]> _kinds = new(StringComparer.Ordinal);
        private int _total;
        private int _served;
        private int _rejected;
        private int _handlerRuns;

        public int Total => _total;

        public int Served => _served;

        public int Rejected => _rejected;

        public async Task CheckAsync(HostileRequest request)
        {
            using var message = request.ToHttpRequest(TestKeys.Path);
            using var response = await host.Client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var served = HostileOracle.ShouldBeServed(request, Oracle, MaxBodyBytes, out var eventType, out var eventId);
            var runs = host.Dispatcher.TakeRuns(request.EventId);
            Interlocked.Increment(ref _total);
            var counts = _kinds.GetOrAdd(request.Kind, static _ => new int[2]);
            Interlocked.Increment(ref counts[served ? 0 : 1]);

            Assert.True(status < 500, $"HTTP {status} {body}");
            if (served)
            {
                Interlocked.Increment(ref _served);
                Assert.Equal(request.EventId, eventId);
                Assert.True(status == 200, $"expected 200, got {status} {body}");
                Assert.True(Simulator.IsSuccessReply(body), body);
                var handled = eventType == HostileDispatcher.HandledEventType;
                Assert.Equal(handled ? 1 : 0, runs);
                if (handled)
                {
                    Interlocked.Increment(ref _handlerRuns);
                }
            }
            else
            {
                Interlocked.Increment(ref _rejected);
                Assert.True(status is >= 400 and < 500, $"expected 4xx, got {status} {body}");
                Assert.Equal(0, runs);
                Assert.Contains("\"errcode\"", body, StringComparison.Ordinal);
            }
        }

        public string Describe() =>
            $"served {_served:N0} (handler ran {_handlerRuns:N0}), rejected {_rejected:N0}; per kind (served/rejected): " +
            string.Join(", ", _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value[0]}/{k.Value[1]}"));

        public void AssertCoverage(int expected)
        {
            Assert.Equal(expected, _total);

            // Every kind was drawn, controls were served, and kinds that can never verify were all rejected.
            Assert.Equal(Enum.GetValues<HostileMutations.Kind>().Length, _kinds.Count);
            Assert.Equal(0, _kinds[nameof(HostileMutations.Kind.Control)][1]);
            Assert.Equal(0, _kinds[nameof(HostileMutations.Kind.ControlOtherSpellings)][1]);
            Assert.Equal(0, _kinds[nameof(HostileMutations.Kind.JsonEquivalentBody)][1]);
            foreach (var never in new[] { HostileMutations.Kind.HugeBody, HostileMutations.Kind.EmptyBody, HostileMutations.Kind.DuplicateEncrypt, HostileMutations.Kind.WrongJsonTypes, HostileMutations.Kind.RandomBytes, HostileMutations.Kind.InvalidUtf8 })
            {
                Assert.Equal(0, _kinds[never.ToString()][0]);
            }

            Assert.True(_handlerRuns > expected / 10, $"only {_handlerRuns} handler runs");
        }
    }

    /// <summary>The host under test: <c>AddDingGen</c> + <c>MapDingCallback</c>, in memory or on Kestrel, errors counted.</summary>
    private sealed class HostileHost : IAsyncDisposable
    {
        private HostileHost(WebApplication app, HttpClient client, HostileDispatcher dispatcher, ErrorCountingLoggerProvider errors)
        {
            App = app;
            Client = client;
            Dispatcher = dispatcher;
            Errors = errors;
        }

        public WebApplication App { get; }

        public HttpClient Client { get; }

        public HostileDispatcher Dispatcher { get; }

        public ErrorCountingLoggerProvider Errors { get; }

        public static async Task<HostileHost> StartAsync(bool inMemory)
        {
            var builder = WebApplication.CreateSlimBuilder();
            var errors = new ErrorCountingLoggerProvider();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddProvider(errors);
            builder.Configuration.AddInMemoryCollection(TestKeys.DefaultSettings());
            builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
            var dispatcher = new HostileDispatcher();
            builder.Services.AddSingleton<IDingEventDispatcher>(dispatcher);
            if (inMemory)
            {
                builder.WebHost.UseTestServer();
            }
            else
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
            }

            var app = builder.Build();
            app.MapDingCallback(TestKeys.Path);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StartAsync(timeout.Token);
            HttpClient client;
            if (inMemory)
            {
                client = app.GetTestClient();
            }
            else
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                client = new HttpClient { BaseAddress = new Uri(address) };
            }

            client.Timeout = TimeSpan.FromSeconds(30);
            return new HostileHost(app, client, dispatcher, errors);
        }

        public void AssertNoServerErrors() => Assert.True(Errors.Count == 0, "server logged errors:\n" + string.Join("\n", Errors.First));

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
        }
    }

    /// <summary>Handles <c>bpms_instance_change</c> only and counts runs per event id (entries are taken out by the test, so memory stays flat).</summary>
    private sealed class HostileDispatcher : IDingEventDispatcher
    {
        public const string HandledEventType = "bpms_instance_change";

        private static readonly string[] Tags = [HandledEventType];
        private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);

        public IReadOnlyList<string> HandledEventTypes => Tags;

        public int TakeRuns(string eventId) => _runs.TryRemove(eventId, out var runs) ? runs : 0;

        public bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [NotNullWhen(true)] out string? eventType)
        {
            eventType = utf8EventType.SequenceEqual("bpms_instance_change"u8) ? HandledEventType : null;
            return eventType is not null;
        }

        public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
        {
            if (context.EventType != HandledEventType)
            {
                return ValueTask.FromResult(DingDispatchResult.NotHandled);
            }

            _runs.AddOrUpdate(context.EventId, 1, static (_, n) => n + 1);
            return ValueTask.FromResult(DingDispatchResult.Handled);
        }
    }

    /// <summary>Counts records of level Error and above from any category (unhandled exceptions land there) and keeps the first few.</summary>
    private sealed class ErrorCountingLoggerProvider : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => _count;

        public ConcurrentQueue<string> First { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error)
            {
                return;
            }

            if (Interlocked.Increment(ref _count) <= 10)
            {
                First.Enqueue($"{logLevel} {eventId}: {formatter(state, exception)} {exception}");
            }
        }

        public void Dispose()
        {
        }
    }
}
