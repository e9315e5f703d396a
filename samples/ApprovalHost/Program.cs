using ApprovalHost;
using DingGen;

// The approval host: DingTalk posts encrypted callbacks to /dingtalk/callback; approvals become work orders.
// Keys come from configuration (appsettings.Development.json for development, environment variables such as
// DingGen__Token / DingGen__AesKey / DingGen__AppKey in production).
// `--simulate` runs the host on a loopback port and plays DingTalk against it (see Simulation.cs).
// `register <url>`, `status`, `unregister` and `recover-failed` manage the callback registration (see Commands.cs).
// `--simulate-stream` runs the host in stream mode against an in-process fake gateway (see StreamSimulation.cs).
if (args.Contains(StreamSimulation.Flag, StringComparer.Ordinal))
{
    return await StreamSimulation.RunAsync(args);
}

var simulate = args.Contains("--simulate", StringComparer.Ordinal);
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args.Where(a => a != "--simulate").ToArray(),
    EnvironmentName = simulate ? Environments.Development : null,
});

if (Commands.IsCommand(args))
{
    Commands.Configure(builder.Configuration);
}

await using var fakeDingTalk = simulate ? await Simulation.StartFakeDingTalkAsync(builder.Configuration) : null;
StreamMode.Configure(builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).AddDingTalkClient().AddFailedEventRecovery(), builder.Configuration);
builder.Services.AddDingEventHandlers();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IWorkOrderStore, InMemoryWorkOrderStore>();
builder.Services.AddSingleton<ActivityJournal>();
builder.Services.AddHealthChecks().AddDingGenHealthCheck();

if (simulate)
{
    // One line per delivery on the console: only warnings from the host itself.
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    });
}

var app = builder.Build();
if (StreamMode.ShouldMapCallback(app.Configuration))
{
    app.MapDingCallback("/dingtalk/callback");
}

app.MapHealthChecks("/health");

if (Commands.IsCommand(args))
{
    return await Commands.RunAsync(app, args);
}

if (!simulate)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
try
{
    return await Simulation.RunAsync(app, fakeDingTalk!);
}
finally
{
    await app.StopAsync();
}
