using DingGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DingGen.Stream.Tests.Infrastructure;

/// <summary>A generic host with stream mode on, pointed at a <see cref="FakeStreamGateway"/>, logs captured.</summary>
public sealed class StreamHost : IAsyncDisposable
{
    public const string AppKey = "dingstreamtestapp001";
    public const string AppSecret = "streamtest-secret-5f0c2a9b7e1d4c3a8b6f";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private StreamHost(IHost host, StreamTestDispatcher? dispatcher)
    {
        Host = host;
        Dispatcher = dispatcher;
    }

    public IHost Host { get; }

    /// <summary>Wraps a host built with <see cref="Build"/> and already started.</summary>
    public static StreamHost FromStarted(IHost host, StreamTestDispatcher? dispatcher) => new(host, dispatcher);

    public StreamTestDispatcher? Dispatcher { get; }

    public IServiceProvider Services => Host.Services;

    public FakeLogCollector Logs => Host.Services.GetFakeLogCollector();

    public static FakeStreamGatewayOptions GatewayOptions(TimeSpan? redelivery = null) => new()
    {
        ClientId = AppKey,
        ClientSecret = AppSecret,
        RedeliveryDelay = redelivery ?? TimeSpan.FromSeconds(10),
    };

    public static Dictionary<string, string?> Settings(FakeStreamGateway gateway, string? secret = AppSecret) => new()
    {
        ["DingGen:AppKey"] = AppKey,
        ["DingGen:AppSecret"] = secret,
        ["DingGen:Stream:GatewayAddress"] = gateway.Address.ToString(),
        ["DingGen:Stream:InitialReconnectDelay"] = "00:00:00.020",
        ["DingGen:Stream:MaxReconnectDelay"] = "00:00:00.200",
    };

    public static IHost Build(Dictionary<string, string?> settings, StreamTestDispatcher? dispatcher, TimeProvider? time = null, Action<DingStreamOptions>? configure = null, Action<IServiceCollection>? services = null, Action<DingGenBuilder>? app = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var dingGen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseStreamMode(configure);
        app?.Invoke(dingGen);
        if (dispatcher is not null)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDingEventDispatcher>(dispatcher));
        }

        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public static async Task<StreamHost> StartAsync(FakeStreamGateway gateway, StreamTestDispatcher? dispatcher, TimeProvider? time = null, Action<DingStreamOptions>? configure = null, string? secret = AppSecret, Action<IServiceCollection>? services = null)
    {
        var host = Build(Settings(gateway, secret), dispatcher, time, configure, services);
        using var timeout = new CancellationTokenSource(Wait);
        await host.StartAsync(timeout.Token);
        return new StreamHost(host, dispatcher);
    }

    /// <summary>Every log record as text: message, structured values and exception.</summary>
    public string AllLogText() => global::DingGen.Tests.Shared.LogText.Of(Logs);

    public bool HasLog(string eventName) => Logs.GetSnapshot().Any(r => r.Id.Name == eventName);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        finally
        {
            Host.Dispose();
        }
    }
}
