using Npgsql;

namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// The stream-connection lease in <c>&lt;schema&gt;.stream_lease</c>: one row per app naming the holding replica and when its lease
/// ends. Taking and renewing is one atomic upsert that succeeds only when the row is this replica's, or expired; releasing deletes
/// this replica's row.
/// </summary>
internal sealed class PostgreSqlStreamLease : IDingStreamLease
{
    private readonly PostgreSqlSchema _schema;
    private readonly string _table;

    public PostgreSqlStreamLease(PostgreSqlDingStore store)
        : this(store.Schema, store.ReplicaId)
    {
    }

    internal PostgreSqlStreamLease(PostgreSqlSchema schema, string replicaId)
    {
        _schema = schema;
        _table = schema.Quoted + ".stream_lease";
        ReplicaId = replicaId;
    }

    public string ReplicaId { get; }

    public async ValueTask<DingStreamLeaseState> TryAcquireAsync(string appName, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = _schema.DataSource.CreateCommand($"""
            INSERT INTO {_table} AS l (app, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (app) DO UPDATE SET
                holder = EXCLUDED.holder,
                acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
                expires_at = EXCLUDED.expires_at
            WHERE l.holder = EXCLUDED.holder OR l.expires_at <= $3
            RETURNING expires_at
            """))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appName });
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReplicaId });
            take.Parameters.Add(PostgreSqlDingInbox.Time(now));
            take.Parameters.Add(PostgreSqlDingInbox.Time(now + duration));
            if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is DateTime expires)
            {
                return new DingStreamLeaseState(true, ReplicaId, new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
            }
        }

        await using var read = _schema.DataSource.CreateCommand($"SELECT holder, expires_at FROM {_table} WHERE app = $1");
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appName });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DingStreamLeaseState(false, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1))
            : new DingStreamLeaseState(false, null, default);
    }

    public async ValueTask ReleaseAsync(string appName, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE app = $1 AND holder = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReplicaId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
