using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen.OpenApi.Tests.Infrastructure;

/// <summary>A real DingGen callback host (Kestrel on 127.0.0.1, ephemeral port) serving <c>MapDingCallback</c>.</summary>
public sealed class CallbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CallbackHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The absolute callback URL to register.</summary>
    public string CallbackUrl => new Uri(BaseAddress, OpenApiKeys.CallbackPath).ToString();

    /// <summary>Starts a host with the given keys; <paramref name="ownerKey"/> <see langword="null"/> leaves it on the AppKey (DingGen's default).</summary>
    public static async Task<CallbackHost> StartAsync(string token, string aesKey, string? ownerKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["DingGen:Token"] = token,
            ["DingGen:AesKey"] = aesKey,
            ["DingGen:AppKey"] = OpenApiKeys.AppKey,
        };
        if (ownerKey is not null)
        {
            settings["DingGen:OwnerKey"] = ownerKey;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
        builder.Services.AddSingleton<IDingEventDispatcher>(new RecordingDispatcher("user_add_org", "bpms_instance_change"));
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapDingCallback(OpenApiKeys.CallbackPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CallbackHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
