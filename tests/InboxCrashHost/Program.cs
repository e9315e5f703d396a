using System.Text.Json;
using DingGen;
using InboxCrashHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Npgsql;

// Usage: dotnet InboxCrashHost.dll --DingGen:Token=… --DingGen:AesKey=… --DingGen:AppKey=… --DingGen:Inbox:Path=<db> --HandledPath=<db>
//    or: dotnet InboxCrashHost.dll --DingGen:Token=… … --DingGen:Inbox:ConnectionString=<cs> --DingGen:Inbox:Schema=<schema> (PostgreSQL)
// Stream mode (the fake gateway): add --DingGen:AppSecret=… --DingGen:Stream:Enabled=true --DingGen:Stream:GatewayAddress=<gateway>
//    (with the PostgreSQL inbox the replicas share the stream-connection lease: one of them holds the connection).
// Listens on a free loopback port and prints "LISTENING <address>" once it accepts callbacks.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var dinggen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
if (builder.Configuration["DingGen:Inbox:ConnectionString"] is { Length: > 0 } connectionString)
{
    // A replica of a scaled-out host: the handler's effect is a row in the same database, keyed on the event id.
    dinggen.UsePostgreSqlInbox();
    builder.Services.AddSingleton<IHandledStore>(new PostgresHandledStore(connectionString, builder.Configuration["DingGen:Inbox:Schema"] ?? "dinggen"));
}
else
{
    dinggen.UseSqliteInbox();
    builder.Services.AddSingleton<IHandledStore>(new HandledStore(builder.Configuration["HandledPath"] ?? throw new InvalidOperationException("--HandledPath is required")));
}

builder.Services.AddDingEventHandlers();
builder.Services.AddSingleton(new CrashHostSettings(TimeSpan.FromMilliseconds(builder.Configuration.GetValue("HandlerDelayMs", 0))));

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
    public sealed class CrashTestHandlers(IHandledStore store, CrashHostSettings settings)
    {
        [DingEvent("user_add_org")]
        public async Task OnUserAdd(JsonElement payload, DingEventContext context, CancellationToken cancellationToken)
        {
            // A handler that takes a while (--HandlerDelayMs) keeps entries leased long enough for a kill to catch some in flight.
            if (settings.HandlerDelay > TimeSpan.Zero)
            {
                await Task.Delay(settings.HandlerDelay, cancellationToken);
            }

            store.Record(context.EventId);
        }
    }

    /// <summary>Test knobs of the host.</summary>
    public sealed record CrashHostSettings(TimeSpan HandlerDelay);

    /// <summary>Where the handler records its effect.</summary>
    public interface IHandledStore
    {
        void Record(string eventId);
    }

    /// <summary>
    /// The handler's effect with the PostgreSQL inbox: one row per event id in <c>&lt;schema&gt;.handled</c> (the primary key makes a
    /// second row impossible; <c>runs</c> counts at-least-once re-runs).
    /// </summary>
    public sealed class PostgresHandledStore : IHandledStore
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly string _table;

        public PostgresHandledStore(string connectionString, string schema)
        {
            _dataSource = new NpgsqlSlimDataSourceBuilder(connectionString).Build();
            _table = "\"" + schema + "\".handled";
            using var command = _dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"; CREATE TABLE IF NOT EXISTS {_table} (event_id text PRIMARY KEY, runs integer NOT NULL)");
            try
            {
                command.ExecuteNonQuery();
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DuplicateSchema or PostgresErrorCodes.DuplicateTable)
            {
                // Another replica created it at the same moment.
            }
        }

        public void Record(string eventId)
        {
            using var command = _dataSource.CreateCommand($"INSERT INTO {_table} AS h (event_id, runs) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET runs = h.runs + 1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Distinct handled event ids, in a database beside the inbox (WAL: a committed row survives SIGKILL).</summary>
    public sealed class HandledStore : IHandledStore
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
