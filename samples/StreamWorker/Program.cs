using DingGen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamWorker;

// A DingTalk event worker with no ASP.NET Core and no public URL: the generic host opens DingTalk's Stream WebSocket with
// DingGen:AppKey / DingGen:AppSecret (appsettings.json, or DingGen__AppKey / DingGen__AppSecret in the environment) and runs
// the [DingEvent] handlers in Handlers.cs for every event. Ctrl+C (SIGTERM) finishes in-flight events and exits.
// Try it without DingTalk: `dotnet run --project samples/StreamWorker.Simulation` plays a fake Stream gateway against it.
var builder = Host.CreateApplicationBuilder(args);

// Logs go to standard error; standard output carries one line per handled event.
builder.Logging.AddConsole(static options => options.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseStreamMode();
builder.Services.AddDingEventHandlers();
builder.Services.AddSingleton<EventLog>();

using var host = builder.Build();
await host.RunAsync();
return 0;
