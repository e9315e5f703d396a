using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DingGen.Tests.Shared;

/// <summary>A real Kestrel host on 127.0.0.1 with an ephemeral port, logs captured by a FakeLogCollector.</summary>
public sealed class CallbackHost : IAsyncDisposable
{
    private CallbackHost(WebApplication app, HttpClient client, TestDispatcher? dispatcher)
    {
        App = app;
        Client = client;
        Dispatcher = dispatcher;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public TestDispatcher? Dispatcher { get; }

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public IServiceProvider Services => App.Services;

    /// <summary>Builds the app: default settings and AddDingGen unless <paramref name="configureServices"/> says otherwise.</summary>
    public static WebApplication Build(
        Dictionary<string, string?>? settings = null,
        TestDispatcher? dispatcher = null,
        Action<WebApplicationBuilder>? configureServices = null,
        bool addDefaultApp = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        builder.Configuration.AddInMemoryCollection(settings ?? TestKeys.DefaultSettings());
        if (addDefaultApp)
        {
            builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
        }

        if (dispatcher is not null)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IDingEventDispatcher), dispatcher));
        }

        configureServices?.Invoke(builder);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        return app;
    }

    public static async Task<CallbackHost> StartAsync(
        Dictionary<string, string?>? settings = null,
        TestDispatcher? dispatcher = null,
        Action<WebApplicationBuilder>? configureServices = null,
        Action<WebApplication>? map = null,
        bool addDefaultApp = true)
    {
        dispatcher ??= TestDispatcher.Default();
        var app = Build(settings, dispatcher, configureServices, addDefaultApp);
        if (map is null)
        {
            app.MapDingCallback(TestKeys.Path);
        }
        else
        {
            map(app);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new CallbackHost(app, client, dispatcher);
    }

    public Testing.DingTalkSimulator Simulator(string? token = null, string? aesKey = null, string? ownerKey = null, TimeProvider? time = null) =>
        new(token ?? TestKeys.Token, aesKey ?? TestKeys.AesKey, ownerKey ?? TestKeys.AppKey, time);

    /// <summary>Every log record as text: message, structured values and exception.</summary>
    public string AllLogText() => global::DingGen.Tests.Shared.LogText.Of(Logs);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}
