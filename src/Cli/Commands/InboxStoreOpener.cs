using DingGen.Inbox.PostgreSql;
using DingGen.Inbox.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DingGen.Cli.Commands;

/// <summary>
/// Opens the inbox store the <c>dinggen inbox</c> commands work on: the SQLite file of <c>--db</c>, or the PostgreSQL database of
/// <c>--postgres</c> (else the environment variable <c>DINGGEN_POSTGRES</c>) and <c>--schema</c>. Never creates or migrates a store.
/// </summary>
internal static class InboxStoreOpener
{
    public const string PostgresVariable = "DINGGEN_POSTGRES";

    public static readonly OptionSpec Postgres = new("--postgres", Required: false);

    public static readonly OptionSpec Schema = new("--schema", Required: false);

    /// <summary>Opens the store, or returns the message to print.</summary>
    public static async Task<(IAsyncDisposable? Handle, string? Error)> OpenAsync(ParsedArguments args, CliIO io)
    {
        var db = args.Optional("--db");
        var postgres = args.Optional("--postgres");
        if (db is not null && postgres is not null)
        {
            return (null, "give either --db (SQLite) or --postgres (PostgreSQL), not both");
        }

        if (db is null)
        {
            postgres ??= io.Environment(PostgresVariable);
            if (string.IsNullOrWhiteSpace(postgres))
            {
                return (null, $"name the inbox: --db PATH (SQLite), or --postgres CONNECTION_STRING (or the environment variable {PostgresVariable}) for PostgreSQL");
            }

            var schema = args.Optional("--schema") ?? PostgreSqlInboxOptions.DefaultSchema;
            if (!PostgreSqlInboxOptions.IsValidSchema(schema))
            {
                return (null, "--schema must be a lowercase identifier (letters a-z, digits, underscores; at most 63 characters; not starting with a digit)");
            }

            try
            {
                return (await PostgreSqlDingInbox.OpenExistingAsync(postgres, schema, io.CancellationToken).ConfigureAwait(false), null);
            }
            catch (ArgumentException)
            {
                // The message of a malformed connection string may quote it (password included): say what, not where.
                return (null, "the PostgreSQL connection string is not valid (Host=…;Port=…;Username=…;Password=…;Database=…)");
            }
            catch (Exception e) when (Describe(e) is { } message)
            {
                return (null, message);
            }
        }

        if (args.Optional("--schema") is not null)
        {
            return (null, "--schema applies to --postgres only");
        }

        try
        {
            return (SqliteDingInbox.OpenExisting(db), null);
        }
        catch (FileNotFoundException e)
        {
            return (null, $"no inbox database at {e.FileName}");
        }
    }

    /// <summary>The message for a store failure, or <see langword="null"/> for an exception that is not one.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        SqliteException e => $"the inbox database could not be read or written: {e.Message}",
        PostgresException e => $"the PostgreSQL inbox could not be read or written: {e.MessageText} ({e.SqlState})",
        NpgsqlException e => $"the PostgreSQL server could not be reached: {e.Message}",
        TimeoutException e => $"the PostgreSQL server could not be reached: {e.Message}",
        InvalidOperationException e => e.Message,
        _ => null,
    };
}
