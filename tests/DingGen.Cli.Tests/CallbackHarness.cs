using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DingGen.Cli.Tests;

/// <summary>Runs <c>dinggen</c> in-process with an environment of the test's choosing (credentials through variables).</summary>
public static class AsyncCliHarness
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var input = new MemoryStream([], writable: false);
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var io = new CliIO(input, output, error, TimeProvider.System, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null, timeout.Token);

        var exitCode = await CliApp.RunAsync(args, io).WaitAsync(TimeSpan.FromSeconds(90));

        return new CliResult(exitCode, output.ToArray(), error.ToString());
    }
}

/// <summary>A real DingGen callback host (MapDingCallback) on 127.0.0.1 with an ephemeral port.</summary>
public sealed class CallbackTestHost : IAsyncDisposable
{
    public const string Token = "Tk7vQ2mR9x";
    public const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    public const string AppKey = "dingfakeappkey0001";
    public const string CorpId = "dingfakecorp0001";

    private readonly WebApplication _app;

    private CallbackTestHost(WebApplication app, string url, RecordingDispatcher dispatcher)
    {
        _app = app;
        Url = url;
        Dispatcher = dispatcher;
    }

    /// <summary>The host's only module: takes user_add_org, user_leave_org and bpms_instance_change and records each event.</summary>
    public RecordingDispatcher Dispatcher { get; }

    /// <summary>The callback URL, e.g. <c>http://127.0.0.1:41234/dingtalk/callback</c>.</summary>
    public string Url { get; }

    /// <summary>Starts a host decrypting with <paramref name="ownerKey"/> (the CorpId, as for callbacks registered through the API).</summary>
    public static async Task<CallbackTestHost> StartAsync(string ownerKey = CorpId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:Token"] = Token,
            ["DingGen:AesKey"] = AesKey,
            ["DingGen:AppKey"] = AppKey,
            ["DingGen:OwnerKey"] = ownerKey,
        });
        var dispatcher = new RecordingDispatcher("bpms_instance_change", "user_add_org", "user_leave_org");
        builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
        builder.Services.AddSingleton<IDingEventDispatcher>(dispatcher);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapDingCallback("/dingtalk/callback");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CallbackTestHost(app, address.TrimEnd('/') + "/dingtalk/callback", dispatcher);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>A hand-written stand-in for a generated dispatcher: records the event type and payload of every event it takes.</summary>
public sealed class RecordingDispatcher(params string[] eventTypes) : IDingEventDispatcher
{
    private readonly string[] _tags = eventTypes.Order(StringComparer.Ordinal).ToArray();

    public System.Collections.Concurrent.ConcurrentQueue<(string EventType, string Payload)> Events { get; } = new();

    public IReadOnlyList<string> HandledEventTypes => _tags;

    public bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? eventType)
    {
        foreach (var tag in _tags)
        {
            if (utf8EventType.SequenceEqual(System.Text.Encoding.UTF8.GetBytes(tag)))
            {
                eventType = tag;
                return true;
            }
        }

        eventType = null;
        return false;
    }

    public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        if (!_tags.Contains(context.EventType, StringComparer.Ordinal))
        {
            return ValueTask.FromResult(DingDispatchResult.NotHandled);
        }

        Events.Enqueue((context.EventType, System.Text.Encoding.UTF8.GetString(context.Payload.Span)));
        return ValueTask.FromResult(DingDispatchResult.Handled);
    }
}
