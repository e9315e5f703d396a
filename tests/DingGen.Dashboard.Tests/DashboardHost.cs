using ApprovalHost;
using DingGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DingGen.Dashboard.Tests;

/// <summary>
/// The approval sample's handlers in a real Kestrel host on 127.0.0.1 (port 0), with the callback endpoint, the SQLite inbox (2 attempts,
/// short retry delays), the server API client and failed-event recovery pointed at a <see cref="FakeDingTalkServer"/>, and the dashboard.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string Token = "Y4dA02j6Z08xQRSMIx0ZjXmBzdaTQDLa";
    public const string AesKey = "FnJVTxNiSSHDxgbT9F21kALwDbrstkm2irRMaoSnuUR";
    public const string AppKey = "dingsampledevapp0001";
    public const string AppSecret = "dev-only-fake-dingtalk-secret-not-real";
    public const string CorpId = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";
    public const string CallbackPath = "/dingtalk/callback";
    public const string DashboardPath = "/dingtalk/dashboard";

    private readonly string _directory;

    private DashboardHost(WebApplication app, FakeDingTalkServer dingtalk, FakeStreamGateway? gateway, string directory)
    {
        App = app;
        DingTalk = dingtalk;
        Gateway = gateway;
        _directory = directory;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        Simulator = new DingTalkSimulator(Token, AesKey, CorpId);
    }

    public WebApplication App { get; }

    public FakeDingTalkServer DingTalk { get; }

    /// <summary>The Stream gateway the app connects to, when started with stream mode.</summary>
    public FakeStreamGateway? Gateway { get; }

    public Uri Address { get; }

    public DingTalkSimulator Simulator { get; }

    public string DashboardUrl => new Uri(Address, DashboardPath).ToString();

    public string CallbackUrl => new Uri(Address, CallbackPath).ToString();

    /// <summary>Builds the host; <paramref name="protect"/> adds authorization metadata to the dashboard's endpoints (or nothing when null).</summary>
    public static WebApplication Build(string environment, string directory, Uri dingtalkBaseAddress, Action<RouteGroupBuilder>? protect, Uri? streamGateway = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = directory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("DingGen", LogLevel.Critical);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:Token"] = Token,
            ["DingGen:AesKey"] = AesKey,
            ["DingGen:AppKey"] = AppKey,
            ["DingGen:AppSecret"] = AppSecret,
            ["DingGen:OwnerKey"] = CorpId,
            ["DingGen:OpenApi:BaseAddress"] = dingtalkBaseAddress.ToString(),
            ["DingGen:OpenApi:RetryBaseDelay"] = "00:00:00.010",
            ["DingGen:Recovery:StorePath"] = Path.Combine(directory, "recovered.jsonl"),
            ["DingGen:Inbox:Path"] = Path.Combine(directory, "inbox.db"),
            ["DingGen:Inbox:MaxAttempts"] = "2",
            ["DingGen:Inbox:InitialRetryDelay"] = "00:00:00.050",
            ["DingGen:Inbox:MaxRetryDelay"] = "00:00:00.100",
            ["DingGen:Inbox:PollInterval"] = "00:00:00.100",
        });

        var dingGen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).AddDingTalkClient().AddFailedEventRecovery().UseSqliteInbox();
        if (streamGateway is not null)
        {
            dingGen.UseStreamMode(o =>
            {
                o.GatewayAddress = streamGateway.ToString();
                o.InitialReconnectDelay = TimeSpan.FromMilliseconds(20);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
            });
        }

        builder.Services.AddDingModule<ApprovalHostDingModule>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IWorkOrderStore, InMemoryWorkOrderStore>();
        builder.Services.AddSingleton<ActivityJournal>();
        builder.Services.AddDingDashboard(o => o.RegistrationCacheDuration = TimeSpan.Zero);

        var app = builder.Build();
        app.MapDingCallback(CallbackPath);
        var dashboard = app.MapDingDashboard(DashboardPath);
        protect?.Invoke(dashboard);
        return app;
    }

    /// <summary>Starts the host; with <paramref name="stream"/> the app also connects to a <see cref="FakeStreamGateway"/> in stream mode.</summary>
    public static async Task<DashboardHost> StartAsync(string environment = "Development", Action<RouteGroupBuilder>? protect = null, bool stream = false)
    {
        var directory = Directory.CreateTempSubdirectory("dinggen-dashboard-").FullName;
        var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = AppKey, AppSecret = AppSecret, CorpId = CorpId });
        var gateway = stream ? await FakeStreamGateway.StartAsync(new FakeStreamGatewayOptions { ClientId = AppKey, ClientSecret = AppSecret }) : null;
        var app = Build(environment, directory, dingtalk.BaseAddress, protect, gateway?.Address);
        await app.StartAsync();
        return new DashboardHost(app, dingtalk, gateway, directory);
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("dinggen-dashboard-").FullName;

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await DingTalk.DisposeAsync();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp directory is cleaned by the OS.
        }
    }
}
