using Npgsql;

namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// The failed-event recovery's record shared by every replica (<see cref="IDingRecoveryStore"/>): handled keys in
/// <c>&lt;schema&gt;.recovery_handled</c> (no event data), unfinished entries in <c>&lt;schema&gt;.recovery_pending</c>, one row per
/// (app, key). Every call is one statement, committed before it returns.
/// </summary>
/// <remarks>
/// The unfinished rows keep what <see cref="DingJsonLinesRecoveryStore"/> keeps: the entry as DingTalk listed it (tag, time, corp id,
/// raw JSON, data), until it is handled or no handler wants it. With the inbox on, a recovered event of a handled type is put into the
/// inbox (sealed with the app's keys) and recorded here as handled without ever storing its data; data reaches this table only for
/// a moment, for an entry whose event type no module handles. Documented in docs/scale-out.md.
/// </remarks>
internal sealed class PostgreSqlRecoveryStore : IDingRecoveryStore
{
    private const string PendingColumns = "tag, event_time, sha256, state, attempts, next_attempt_at, last_error, entry_tag, entry_time, corp_id, raw, data";

    private readonly PostgreSqlSchema _schema;
    private readonly string _app;
    private readonly TimeProvider _timeProvider;
    private readonly string _handled;
    private readonly string _pending;

    public PostgreSqlRecoveryStore(PostgreSqlSchema schema, string appName, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(appName);
        _schema = schema;
        _app = appName;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _handled = schema.Quoted + ".recovery_handled";
        _pending = schema.Quoted + ".recovery_pending";
    }

    public async ValueTask<bool> ContainsAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT 1 FROM {_handled} WHERE app = $1 AND tag = $2 AND event_time = $3 AND sha256 = $4");
        AddKey(command, key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask AddAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            WITH gone AS (DELETE FROM {_pending} WHERE app = $1 AND tag = $2 AND event_time = $3 AND sha256 = $4)
            INSERT INTO {_handled} (app, tag, event_time, sha256, recovered_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING
            """);
        AddKey(command, key);
        command.Parameters.Add(PostgreSqlDingInbox.Time(_timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SavePendingAsync(DingRecoveryPendingEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            INSERT INTO {_pending} (app, {PendingColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (app, tag, event_time, sha256) DO UPDATE SET
                state = EXCLUDED.state, attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at, last_error = EXCLUDED.last_error,
                entry_tag = EXCLUDED.entry_tag, entry_time = EXCLUDED.entry_time, corp_id = EXCLUDED.corp_id, raw = EXCLUDED.raw, data = EXCLUDED.data
            """);
        AddKey(command, entry.Key);
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)entry.State });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.Attempts });
        command.Parameters.Add(PostgreSqlDingInbox.Time(entry.NextAttemptAt));
        command.Parameters.Add(Text(entry.LastError));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Entry.Tag });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entry.Entry.EventTime.ToUnixTimeMilliseconds() });
        command.Parameters.Add(Text(entry.Entry.CorpId));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Entry.RawJson });
        command.Parameters.Add(Text(entry.Entry.DataJson));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<DingRecoveryPendingEntry?> GetPendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT {PendingColumns} FROM {_pending} WHERE app = $1 AND tag = $2 AND event_time = $3 AND sha256 = $4");
        AddKey(command, key);
        var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async ValueTask<IReadOnlyList<DingRecoveryPendingEntry>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT {PendingColumns} FROM {_pending} WHERE app = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _app });
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemovePendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_pending} WHERE app = $1 AND tag = $2 AND event_time = $3 AND sha256 = $4");
        AddKey(command, key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void AddKey(NpgsqlCommand command, DingRecoveryKey key)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _app });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Tag });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key.EventTimeMilliseconds });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.DataSha256 });
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static async Task<List<DingRecoveryPendingEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<DingRecoveryPendingEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = new DingRecoveryKey(reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
            var entry = new DingFailedEvent(
                reader.GetString(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11));
            rows.Add(new DingRecoveryPendingEntry(
                key,
                entry,
                reader.GetInt32(4),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc)),
                reader.GetInt16(3) == (short)DingRecoveryEntryState.DeadLettered ? DingRecoveryEntryState.DeadLettered : DingRecoveryEntryState.Pending,
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }
}

/// <summary>
/// One failed-event recovery per app across every replica: a session-level <c>pg_try_advisory_lock</c> on a connection of its own, held
/// for the whole run and released (<c>pg_advisory_unlock</c>) when the handle is disposed. If the replica dies, PostgreSQL ends its
/// session and the lock with it. The key mixes the schema and the app name, so hosts on other schemas do not contend.
/// </summary>
internal sealed class PostgreSqlRecoveryLock : IDingRecoveryLock
{
    private readonly PostgreSqlSchema _schema;

    public PostgreSqlRecoveryLock(PostgreSqlSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
    }

    /// <summary>The advisory-lock key of <paramref name="appName"/>'s recovery: FNV-1a of a fixed prefix, the schema and the app name.</summary>
    internal long KeyFor(string appName)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "dinggen-recovery:" + _schema.Name + ":" + appName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string appName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appName);
        var key = KeyFor(appName);
        var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new Handle(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private sealed class Handle(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
                await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session is broken: PostgreSQL released its locks when it ended; the connection is not returned to the pool.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
