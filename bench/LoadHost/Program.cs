using System.Globalization;
using System.Text;
using DingGen;
using LoadHost;

// Two modes:
//   LoadHost callbacks <count> <file>   writes <count> distinct encrypted callbacks, one per line: "<path>?<query>\t<body>", every line 480 characters
//       and a newline (the body padded with spaces)
//   LoadHost [--inbox | --inbox-postgres] [--dashboard] [--address-file <file>] [--urls http://127.0.0.1:0]
//       serves POST /dingtalk/callback (MapDingCallback, one trivial handler), POST /bare (reads the body, answers 200),
//       GET /ready, GET /handled and GET /backlog (inbox entries not yet done); with --inbox the durable SQLite inbox is on (database in a fresh temp folder), with
//       --inbox-postgres the PostgreSQL inbox (DINGGEN_POSTGRES, a fresh schema dropped at the end); with --dashboard the
//       operations dashboard is added (its delivery observer sees every delivery) at /dingtalk/dashboard.
//   LoadHost drain <sqlite|postgres> <count> [--concurrency N]
//       the worker's drain rate: stores <count> sealed entries through IDingInbox.AddAsync while the worker is paused, then
//       resumes it and times it from its first claim until every entry is completed; prints one "DRAIN …" line. Then purges
//       those done entries while one caller keeps adding new ones and prints one "PURGE …" line (the purge's time, the longest add wait).
// The keys below are load-test keys, not secrets of any real app.
const string Token = "LoadTk9x2Q";
const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
const string AppKey = "dingload0000000000";
const string CallbackPath = "/dingtalk/callback";
const int CallbackLineWidth = 480;

if (args is ["callbacks", var countText, var file])
{
    var count = int.Parse(countText, CultureInfo.InvariantCulture);
    var crypto = new DingCallbackCrypto(Token, AesKey, AppKey);
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    using var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
    var line = new StringBuilder(CallbackLineWidth + 1);
    for (var i = 0; i < count; i++)
    {
        var payload = $$"""{"EventType":"bpms_instance_change","eventId":"load-{{i:D8}}","CorpId":"dingloadcorp","processInstanceId":"pi-{{i}}","type":"finish","result":"agree","title":"Load test approval {{i}}"}""";
        var nonce = DingCallbackCrypto.CreateNonce(8);
        var encrypt = crypto.Encrypt(Encoding.UTF8.GetBytes(payload));
        var signature = crypto.ComputeSignature(timestamp, nonce, encrypt);
        line.Clear()
            .Append(CallbackPath)
            .Append(CultureInfo.InvariantCulture, $"?signature={signature}&timestamp={timestamp}&nonce={nonce}\t")
            .Append(CultureInfo.InvariantCulture, $$"""{"encrypt":"{{encrypt}}"}""");
        if (line.Length > CallbackLineWidth)
        {
            Console.Error.WriteLine($"callback {i} needs {line.Length} characters, more than the line width {CallbackLineWidth}");
            return 1;
        }

        // Every line is as long as every other (the JSON body ends in spaces), so the wrk script seeks to a callback instead of
        // reading the lines before it.
        writer.Write(line.Append(' ', CallbackLineWidth - line.Length));
        writer.WriteLine();
    }

    return 0;
}

if (args is ["drain", var store, var drainCountText, ..])
{
    var concurrencyIndex = Array.IndexOf(args, "--concurrency");
    var concurrency = concurrencyIndex > 0 ? args[concurrencyIndex + 1] : null;
    return await DrainBench.RunAsync(store, int.Parse(drainCountText, CultureInfo.InvariantCulture), concurrency, Token, AesKey, AppKey);
}

var useInbox = args.Contains("--inbox", StringComparer.Ordinal);
var usePostgresInbox = args.Contains("--inbox-postgres", StringComparer.Ordinal);
var useDashboard = args.Contains("--dashboard", StringComparer.Ordinal);
var noWorker = args.Contains("--no-worker", StringComparer.Ordinal);
var addressFileIndex = Array.IndexOf(args, "--address-file");
var addressFile = addressFileIndex >= 0 && addressFileIndex + 1 < args.Length ? args[addressFileIndex + 1] : null;
var hostArgs = args.Where((a, i) => a != "--inbox" && a != "--inbox-postgres" && a != "--dashboard" && a != "--no-worker" && i != addressFileIndex && i != addressFileIndex + 1).ToArray();

var builder = WebApplication.CreateSlimBuilder(hostArgs);
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["DingGen:Token"] = Token,
    ["DingGen:AesKey"] = AesKey,
    ["DingGen:AppKey"] = AppKey,
});
if (builder.Configuration["urls"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

var dinggen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
string? inboxFolder = null;
if (useInbox)
{
    inboxFolder = Directory.CreateTempSubdirectory("dinggen-load-inbox-").FullName;
    dinggen.UseSqliteInbox(o => o.Path = Path.Combine(inboxFolder, "inbox.db"));
}

string? postgresSchema = null;
if (usePostgresInbox)
{
    postgresSchema = DrainBench.NewSchema();
    dinggen.UsePostgreSqlInbox(o =>
    {
        o.ConnectionString = DrainBench.PostgresConnectionString();
        o.Schema = postgresSchema;
    });
}

if (noWorker && (useInbox || usePostgresInbox))
{
    // Intake alone: the worker's view of the store claims nothing (PausableInbox, never resumed).
    PausableInbox.WrapRegisteredInbox(builder.Services, int.MaxValue);
}

builder.Services.AddDingEventHandlers();
if (useDashboard)
{
    builder.Services.AddDingDashboard();
}

var app = builder.Build();
app.MapDingCallback(CallbackPath);
if (useDashboard)
{
    // Loopback only (the load host never listens elsewhere): no authorization needed, said explicitly.
    app.MapDingDashboard("/dingtalk/dashboard").AllowAnonymous();
}

// The bare endpoint does what any POST endpoint must: read the whole body, then answer 200.
app.MapPost("/bare", static async (HttpContext http) =>
{
    var reader = http.Request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync(http.RequestAborted);
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    http.Response.StatusCode = StatusCodes.Status200OK;
});
app.MapGet("/ready", static () => "ready");
app.MapGet("/handled", static () => LoadHandlers.Handled.ToString(CultureInfo.InvariantCulture));

// With the inbox on: the entries stored and not yet done, i.e. whether the worker keeps up with the intake.
app.MapGet("/backlog", static async (IServiceProvider services) =>
    services.GetService<IDingInbox>() is { } inbox ? (await inbox.GetStatsAsync()).Pending.ToString(CultureInfo.InvariantCulture) : "0");

await app.StartAsync();
if (addressFile is not null)
{
    var address = app.Urls.First();
    await File.WriteAllTextAsync(addressFile + ".tmp", address);
    File.Move(addressFile + ".tmp", addressFile, overwrite: true);
}

await app.WaitForShutdownAsync();
if (inboxFolder is not null)
{
    Directory.Delete(inboxFolder, recursive: true);
}

if (postgresSchema is not null)
{
    await DrainBench.DropSchemaAsync(postgresSchema);
}

return 0;
