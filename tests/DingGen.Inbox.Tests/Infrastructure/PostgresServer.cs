using DingGen.Inbox.PostgreSql;
using Npgsql;

namespace DingGen.Inbox.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use: <c>DINGGEN_POSTGRES</c> (scripts/test.sh starts a throwaway cluster and sets it). Without it a
/// PostgreSQL test fails, saying how to provide one: it never skips silently.
/// </summary>
public static class PostgresServer
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("DINGGEN_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "This test needs a PostgreSQL server and DINGGEN_POSTGRES is not set. Run `bash scripts/test.sh` (it starts a throwaway cluster), "
                + "or set DINGGEN_POSTGRES to a connection string, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=dinggen_test.");

    /// <summary>A fresh schema name, so tests (and test classes running in parallel) never share tables.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    public static NpgsqlDataSource CreateDataSource() => PostgreSqlDataSources.Create(ConnectionString);

    public static async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = CreateDataSource();
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(string sql)
    {
        await using var dataSource = CreateDataSource();
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
