using DingGen;
using DingGen.Events;
using DingGen.Testing;

// A user's host built from the packages alone: MapDingCallback on Kestrel (loopback, port 0), the SQLite inbox in a temp
// folder, DingTalkClient against DingGen.Testing's fake DingTalk server, and one real encrypted callback from DingTalkSimulator.
const string Token = "PkgSmokeTk";
const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
const string AppKey = "dingpkgsmoke0000001";
const string AppSecret = "package-smoke-secret";

var folder = Directory.CreateTempSubdirectory("dinggen-package-smoke-");
try
{
    await using var fake = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = AppKey, AppSecret = AppSecret });
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["DingGen:Token"] = Token,
        ["DingGen:AesKey"] = AesKey,
        ["DingGen:AppKey"] = AppKey,
        ["DingGen:AppSecret"] = AppSecret,
        ["DingGen:OpenApi:BaseAddress"] = fake.BaseAddress.ToString(),
    });
    builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"))
        .AddDingTalkClient()
        .UseSqliteInbox(o => o.Path = Path.Combine(folder.FullName, "inbox.db"));
    builder.Services.AddDingEventHandlers();
    builder.Services.AddSingleton<Journal>();

    await using var app = builder.Build();
    app.MapDingCallback("/dingtalk/callback");
    await app.StartAsync();

    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    var dingtalk = new DingTalkSimulator(Token, AesKey, AppKey);
    var reply = await dingtalk.PostAsync(http, "/dingtalk/callback", """{"EventType":"user_add_org","eventId":"pkg-1","UserId":["0214382847291053"]}""");
    Console.WriteLine($"callback: {(int)reply.StatusCode} {(reply.IsSuccessReply ? "success" : "not success")}");

    // The inbox committed the event before the reply; its worker runs the handler in the background.
    var journal = app.Services.GetRequiredService<Journal>();
    var handled = await journal.WaitAsync(TimeSpan.FromSeconds(30));
    Console.WriteLine("inbox: " + (handled ?? "handler did not run"));
    Console.WriteLine("inbox file: " + (File.Exists(Path.Combine(folder.FullName, "inbox.db")) ? "exists" : "missing"));

    var token = await app.Services.GetRequiredService<DingTalkClient>().GetAccessTokenAsync();
    Console.WriteLine("client: " + (token.Length > 0 ? "token from the fake DingTalk server" : "no token"));
    Console.WriteLine("tags: " + string.Join(",", DingEventTags.All));
    await app.StopAsync();
    return reply.IsSuccessReply && handled is not null && token.Length > 0 ? 0 : 1;
}
finally
{
    folder.Delete(recursive: true);
}

internal sealed class Journal
{
    private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Write(string entry) => _first.TrySetResult(entry);

    public async Task<string?> WaitAsync(TimeSpan timeout)
    {
        try
        {
            return await _first.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}

internal sealed class StaffHandlers(Journal journal)
{
    [DingEvent(DingEventTypes.UserAddOrg)]
    public void OnJoined(UserAddOrg e, DingEventContext context) =>
        journal.Write($"{context.EventType}:{e.UserId?[0]} via {context.Channel} (event {context.EventId})");
}
