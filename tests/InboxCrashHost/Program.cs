using System.Text.Json;
using DingGen;
using InboxCrashHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;

// Usage: dotnet InboxCrashHost.dll --DingGen:Token=… --DingGen:AesKey=… --DingGen:AppKey=… --DingGen:Inbox:Path=<db> --HandledPath=<db>
// Listens on a free loopback port and prints "LISTENING <address>" once it accepts callbacks.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseSqliteInbox();
builder.Services.AddDingEventHandlers();
builder.Services.AddSingleton(new HandledStore(builder.Configuration["HandledPath"] ?? throw new InvalidOperationException("--HandledPath is required")));

var app = builder.Build();
app.MapDingCallback("/dingtalk/callback");
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine("LISTENING " + address);
Console.Out.Flush();
await app.WaitForShutdownAsync();

namespace InboxCrashHost
{
    /// <summary>The idempotent handler: records each distinct event id (and how often it ran) in its own SQLite table.</summary>
    public sealed class CrashTestHandlers(HandledStore store)
    {
        [DingEvent("user_add_org")]
        public void OnUserAdd(JsonElement payload, DingEventContext context) => store.Record(context.EventId);
    }

    /// <summary>Distinct handled event ids, in a database beside the inbox (WAL: a committed row survives SIGKILL).</summary>
    public sealed class HandledStore
    {
        private readonly SqliteConnection _connection;
        private readonly Lock _lock = new();

        public HandledStore(string path)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            _connection.Open();
            using var command = _connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS handled (event_id TEXT PRIMARY KEY, runs INTEGER NOT NULL);
                """;
            command.ExecuteNonQuery();
        }

        public void Record(string eventId)
        {
            lock (_lock)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "INSERT INTO handled (event_id, runs) VALUES ($id, 1) ON CONFLICT (event_id) DO UPDATE SET runs = runs + 1";
                command.Parameters.AddWithValue("$id", eventId);
                command.ExecuteNonQuery();
            }
        }
    }
}
