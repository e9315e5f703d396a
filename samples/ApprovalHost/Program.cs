using ApprovalHost;
using DingGen;

// The approval host: DingTalk posts encrypted callbacks to /dingtalk/callback; approvals become work orders.
// Keys come from configuration (appsettings.Development.json for development, environment variables such as
// DingGen__Token / DingGen__AesKey / DingGen__AppKey in production).
// `--simulate` runs the host on a loopback port and plays DingTalk against it (see Simulation.cs).
// `register <url>`, `status`, `unregister` and `recover-failed` manage the callback registration (see Commands.cs).
// `--simulate-stream` runs the host in stream mode against an in-process fake gateway (see StreamSimulation.cs).
// `--dashboard` maps the operations dashboard at /dingtalk/dashboard (docs/dashboard.md); with `--simulate` the host keeps running
// after the simulation and prints the dashboard's URL. The simulation runs in the Development environment on 127.0.0.1, so the
// dashboard needs no authorization there; in any other environment the host refuses to start until the dashboard is given
// .RequireAuthorization(...) (or, on a host only reachable from loopback, an explicit .AllowAnonymous()).
if (args.Contains(StreamSimulation.Flag, StringComparer.Ordinal))
{
    return await StreamSimulation.RunAsync(args);
}

var simulate = args.Contains("--simulate", StringComparer.Ordinal);
var dashboard = args.Contains("--dashboard", StringComparer.Ordinal);
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args.Where(a => a != "--simulate" && a != "--dashboard").ToArray(),
    EnvironmentName = simulate ? Environments.Development : null,
});

if (Commands.IsCommand(args))
{
    Commands.Configure(builder.Configuration);
}

await using var fakeDingTalk = simulate ? await Simulation.StartFakeDingTalkAsync(builder.Configuration) : null;
builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).AddDingTalkClient().AddFailedEventRecovery(); // DingGen:Stream:Enabled=true turns stream mode on
builder.Services.AddDingEventHandlers();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IWorkOrderStore, InMemoryWorkOrderStore>();
builder.Services.AddSingleton<ActivityJournal>();
builder.Services.AddHealthChecks().AddDingGenHealthCheck();
if (dashboard)
{
    builder.Services.AddDingDashboard();
}

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
if (dashboard)
{
    app.MapDingDashboard("/dingtalk/dashboard");
}

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
    var result = await Simulation.RunAsync(app, fakeDingTalk!);
    if (dashboard)
    {
        Console.WriteLine();
        Console.WriteLine($"Dashboard: {app.Urls.First().TrimEnd('/')}/dingtalk/dashboard (the fake DingTalk keeps answering; Ctrl+C stops the host).");
        await app.WaitForShutdownAsync();
    }

    return result;
}
finally
{
    await app.StopAsync();
}
