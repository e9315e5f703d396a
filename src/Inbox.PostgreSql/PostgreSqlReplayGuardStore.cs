using Npgsql;

namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// The replay guard's memory shared by every replica: one row per accepted (app, signature) with its expiry, in
/// <c>&lt;schema&gt;.replay_guard</c>. A fresh request inserts its row; a replay finds an unexpired one (whichever replica accepted the
/// original). Expired rows are overwritten when their signature comes again and deleted about once a minute per replica.
/// </summary>
internal sealed class PostgreSqlReplayGuardStore : IDingReplayGuardStore
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    private readonly PostgreSqlSchema _schema;
    private readonly string _table;
    private long _nextCleanupMs = long.MinValue;

    public PostgreSqlReplayGuardStore(PostgreSqlDingStore store)
        : this(store.Schema)
    {
    }

    internal PostgreSqlReplayGuardStore(PostgreSqlSchema schema)
    {
        _schema = schema;
        _table = schema.Quoted + ".replay_guard";
    }

    public async ValueTask<bool> TryRememberAsync(string appName, string signature, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await CleanupAsync(now, cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            INSERT INTO {_table} AS g (app, signature, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (app, signature) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE g.expires_at <= $4
            RETURNING 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = signature });
        command.Parameters.Add(PostgreSqlDingInbox.Time(expiresAt));
        command.Parameters.Add(PostgreSqlDingInbox.Time(now));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask ForgetAsync(string appName, string signature, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE app = $1 AND signature = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = signature });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask CleanupAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var next = Interlocked.Read(ref _nextCleanupMs);
        if (nowMs < next || Interlocked.CompareExchange(ref _nextCleanupMs, nowMs + (long)CleanupInterval.TotalMilliseconds, next) != next)
        {
            return;
        }

        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE expires_at <= $1");
        command.Parameters.Add(PostgreSqlDingInbox.Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
