using Npgsql;
using NpgsqlTypes;

namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// The shared durable inbox: one PostgreSQL table every replica of the host writes and claims from. An added entry is committed
/// (with PostgreSQL's <c>synchronous_commit</c>, on by default) before <see cref="AddAsync"/> returns; a unique constraint on
/// (app, dedup key) with <c>INSERT … ON CONFLICT DO NOTHING</c> makes a redelivery to any replica a duplicate; claims take due rows
/// with <c>FOR UPDATE SKIP LOCKED</c> and lease them, so each entry runs on one replica at a time and an expired lease (its replica
/// died) makes it due again on any replica.
/// </summary>
/// <remarks>
/// <para>Stored are the sealed envelope (signature, timestamp, nonce and ciphertext as DingTalk sent them), the dedup key, the event
/// type, corp id and processing state; never a decrypted payload.</para>
/// <para>Concurrent adds of one process are written together (one statement, one commit), and so are concurrent completions: under load
/// the round trips per entry fall instead of the queue growing. There is deliberately no "release every lease at start-up"
/// (<see cref="IDingInboxRestartRecovery"/>): on a shared database those leases may belong to replicas that are alive.</para>
/// <para>Tables are created (and migrated) in <see cref="PostgreSqlInboxOptions.Schema"/> on first use, under an advisory lock.</para>
/// </remarks>
public sealed class PostgreSqlDingInbox : IDingInbox, IDingInboxAdmin, IDingInboxLeaseRelease, IDingInboxBatchCompletion, IDingInboxLeasedAdd, IAsyncDisposable
{
    private const int MaxBatch = 500;

    private const string Columns = "id, app, dedup_key, event_id, event_type, channel, corp_id, received_at, signature, \"timestamp\", nonce, encrypt, state, attempts, next_attempt_at, leased_until, completed_at, last_error";

    private readonly PostgreSqlSchema _schema;
    private readonly bool _ownsDataSource;
    private readonly string _table;
    private readonly GroupCommit<(DingInboxEntry Entry, DateTime? Lease), long> _adds;
    private readonly GroupCommit<(long Id, DateTime At), bool> _completions;

    /// <summary>Uses <paramref name="dataSource"/> (not disposed with the inbox) and the tables in <paramref name="schema"/>.</summary>
    /// <param name="dataSource">The database every replica shares; build it with <c>NpgsqlSlimDataSourceBuilder</c> and <c>EnableArrays()</c>, or <c>NpgsqlDataSourceBuilder</c>.</param>
    /// <param name="schema">The schema of DingGen's tables (created when missing).</param>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a lowercase identifier.</exception>
    public PostgreSqlDingInbox(NpgsqlDataSource dataSource, string schema = PostgreSqlInboxOptions.DefaultSchema)
        : this(new PostgreSqlSchema(dataSource, schema), ownsDataSource: false)
    {
    }

    internal PostgreSqlDingInbox(PostgreSqlSchema schema, bool ownsDataSource)
    {
        _schema = schema;
        _ownsDataSource = ownsDataSource;
        _table = schema.Quoted + ".inbox";
        _adds = new GroupCommit<(DingInboxEntry, DateTime?), long>(WriteAddsAsync, MaxBatch);
        _completions = new GroupCommit<(long, DateTime), bool>(WriteCompletionsAsync, MaxBatch);
    }

    /// <summary>Opens the inbox on a connection string (the CLI and tests); the data source is disposed with the inbox.</summary>
    internal static PostgreSqlDingInbox Open(string connectionString, string schema = PostgreSqlInboxOptions.DefaultSchema)
    {
        if (!PostgreSqlInboxOptions.IsValidSchema(schema))
        {
            throw new ArgumentException("The schema must be a lowercase identifier (letters a-z, digits, underscores; at most 63 characters; not starting with a digit).", nameof(schema));
        }

        return new(new PostgreSqlSchema(PostgreSqlDataSources.Create(connectionString), schema), ownsDataSource: true);
    }

    /// <summary>Opens an existing inbox (the CLI): never creates or migrates the schema.</summary>
    /// <exception cref="InvalidOperationException">No DingGen schema of this version in the database.</exception>
    internal static async Task<PostgreSqlDingInbox> OpenExistingAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        var inbox = Open(connectionString, schema);
        try
        {
            await inbox._schema.CheckExistingAsync(cancellationToken).ConfigureAwait(false);
            return inbox;
        }
        catch
        {
            await inbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The schema holding the tables.</summary>
    public string Schema => _schema.Name;

    internal PostgreSqlSchema SchemaHandle => _schema;

    /// <summary>Creates or migrates the tables now (otherwise done on first use).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _adds.RunAsync((entry, null), cancellationToken).ConfigureAwait(false) == 0 ? DingInboxAddResult.Duplicate : DingInboxAddResult.Added;
    }

    /// <inheritdoc />
    /// <remarks>Written in the same statement and commit as the other adds queued with it (group commit, as <see cref="AddAsync"/>).</remarks>
    public async ValueTask<DingInboxRecord?> AddLeasedAsync(DingInboxEntry entry, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var leasedUntil = DingInboxLeases.End(now, leaseDuration);
        var id = await _adds.RunAsync((entry, leasedUntil.UtcDateTime), cancellationToken).ConfigureAwait(false);
        return id == 0 ? null : DingInboxLeases.LeasedRecord(id, entry, entry.ReceivedAt, leasedUntil);
    }

    /// <summary>Inserts a batch of adds in one statement; returns each one's new id, or 0 for a duplicate.</summary>
    private async Task<long[]> WriteAddsAsync((DingInboxEntry Entry, DateTime? Lease)[] items)
    {
        var n = items.Length;
        var apps = new string[n];
        var keys = new string[n];
        var eventIds = new string[n];
        var eventTypes = new string[n];
        var channels = new short[n];
        var corpIds = new string?[n];
        var receivedAt = new DateTime[n];
        var signatures = new string[n];
        var timestamps = new string[n];
        var nonces = new string[n];
        var encrypts = new string[n];
        var attempts = new int[n];
        var leases = new DateTime?[n];
        for (var i = 0; i < n; i++)
        {
            var e = items[i].Entry;

            // Stored leased (AddLeasedAsync): as a claim leaves it, attempt 1 counted.
            leases[i] = items[i].Lease;
            attempts[i] = items[i].Lease is null ? 0 : 1;
            apps[i] = e.AppName;
            keys[i] = e.DedupKey;
            eventIds[i] = e.EventId;
            eventTypes[i] = e.EventType;
            channels[i] = (short)e.Channel;
            corpIds[i] = e.CorpId;
            receivedAt[i] = e.ReceivedAt.UtcDateTime;
            signatures[i] = e.Envelope.Signature;
            timestamps[i] = e.Envelope.Timestamp;
            nonces[i] = e.Envelope.Nonce;
            encrypts[i] = e.Envelope.Encrypt;
        }

        await using var command = _schema.DataSource.CreateCommand($"""
            INSERT INTO {_table} (app, dedup_key, event_id, event_type, channel, corp_id, received_at, signature, "timestamp", nonce, encrypt, state, attempts, next_attempt_at, leased_until)
            SELECT u.app, u.dedup_key, u.event_id, u.event_type, u.channel, u.corp_id, u.received_at, u.signature, u.ts, u.nonce, u.encrypt, 0, u.attempts, u.received_at, u.leased_until
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::timestamptz[])
                WITH ORDINALITY AS u(app, dedup_key, event_id, event_type, channel, corp_id, received_at, signature, ts, nonce, encrypt, attempts, leased_until, ord)
            ORDER BY u.app, u.dedup_key, u.ord
            ON CONFLICT (app, dedup_key) DO NOTHING
            RETURNING id, app, dedup_key
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = apps });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventIds });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventTypes });
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = channels });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = corpIds });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = receivedAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = signatures });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = timestamps });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = nonces });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = encrypts });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = attempts });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = leases, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });

        var inserted = new Dictionary<(string, string), long>();
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                inserted.Add((reader.GetString(1), reader.GetString(2)), reader.GetInt64(0));
            }
        }

        // Rows go in in key order, so concurrent batches (two writers here, other replicas) take the unique index's locks in one
        // order and cannot deadlock; within a key, the first item of the batch is the one inserted (ord), a later one its duplicate.
        var results = new long[n];
        for (var i = 0; i < n; i++)
        {
            results[i] = inserted.Remove((apps[i], keys[i]), out var id) ? id : 0;
        }

        return results;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);

        // The claim must walk ix_inbox_due in order and stop after maxCount rows. After a burst the table's statistics still say
        // almost nothing is pending (they were gathered when the rows were done), and the planner then reads the whole backlog
        // with a bitmap scan and sorts it to return 64 rows: 12 ms instead of 1 ms per claim with 20,000 pending, growing with the
        // backlog — exactly when claims must be fast. Sorting is turned off for this transaction only, which leaves the ordered
        // index walk as the plan whatever the statistics say.
        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var planHint = new NpgsqlCommand("SET LOCAL enable_sort = off", connection, transaction))
        {
            await planHint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = new NpgsqlCommand($"""
            WITH due AS (
                SELECT id FROM {_table}
                WHERE state = 0 AND next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until <= $1)
                ORDER BY next_attempt_at, id
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            UPDATE {_table} AS i SET attempts = i.attempts + 1, leased_until = $2
            FROM due WHERE i.id = due.id
            RETURNING {Prefixed("i.")}
            """, connection, transaction);
        command.Parameters.Add(Time(now));
        command.Parameters.Add(Time(now + leaseDuration));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
        var records = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        records.Sort(static (a, b) => a.NextAttemptAt == b.NextAttemptAt ? a.Id.CompareTo(b.Id) : Nullable.Compare(a.NextAttemptAt, b.NextAttemptAt));
        return records;
    }

    /// <inheritdoc />
    /// <remarks>Concurrent completions are written together in one statement.</remarks>
    public async ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _completions.RunAsync((id, now.UtcDateTime), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One <c>UPDATE … FROM unnest(…)</c> statement for all of <paramref name="ids"/>: all are done on return, or none.</remarks>
    public async ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var times = new DateTime[ids.Count];
        Array.Fill(times, now.UtcDateTime);
        await UpdateCompletedAsync([.. ids], times, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool[]> WriteCompletionsAsync((long Id, DateTime At)[] batch)
    {
        var ids = new long[batch.Length];
        var times = new DateTime[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            (ids[i], times[i]) = batch[i];
        }

        await UpdateCompletedAsync(ids, times, CancellationToken.None).ConfigureAwait(false);
        return new bool[batch.Length];
    }

    /// <summary>Marks each entry of <paramref name="ids"/> done at the matching time, in one statement.</summary>
    private async Task UpdateCompletedAsync(long[] ids, DateTime[] times, CancellationToken cancellationToken)
    {
        await using var command = _schema.DataSource.CreateCommand($"""
            UPDATE {_table} AS i SET state = 1, completed_at = u.at, leased_until = NULL, next_attempt_at = NULL
            FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at)
            WHERE i.id = u.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(errorSummary);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = nextAttemptAt is { } next
            ? _schema.DataSource.CreateCommand($"UPDATE {_table} SET next_attempt_at = $1, leased_until = NULL, last_error = $2 WHERE id = $3 AND state = 0")
            : _schema.DataSource.CreateCommand($"UPDATE {_table} SET state = 2, completed_at = $1, next_attempt_at = NULL, leased_until = NULL, last_error = $2 WHERE id = $3 AND state = 0");
        command.Parameters.Add(Time(nextAttemptAt ?? now));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = errorSummary });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One statement for all of them; an entry is released only under the very claim given (attempts and lease unchanged), so
    /// an entry another replica claimed since is left alone.</remarks>
    public async ValueTask<int> ReleaseAsync(IReadOnlyList<DingInboxRecord> claimed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var leased = claimed.Where(static r => r.LeasedUntil is not null).ToList();
        if (leased.Count == 0)
        {
            return 0;
        }

        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var ids = leased.Select(static r => r.Id).ToArray();
        var attempts = leased.Select(static r => r.Attempts).ToArray();
        var leases = leased.Select(static r => r.LeasedUntil!.Value.UtcDateTime).ToArray();
        await using var command = _schema.DataSource.CreateCommand($"""
            UPDATE {_table} AS i SET leased_until = NULL, attempts = i.attempts - 1
            FROM unnest($1::bigint[], $2::integer[], $3::timestamptz[]) AS r(id, attempts, lease)
            WHERE i.id = r.id AND i.state = 0 AND i.attempts = r.attempts AND i.leased_until = r.lease
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = attempts });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = leases, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE state = 1 AND completed_at < $1");
        command.Parameters.Add(Time(completedBefore));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            SELECT
                (SELECT COUNT(*) FROM {_table} WHERE state = 0),
                (SELECT COUNT(*) FROM {_table} WHERE state = 2),
                (SELECT MIN(received_at) FROM {_table} WHERE state = 0),
                (SELECT COUNT(*) FROM (SELECT 1 FROM {_table} WHERE state = 1 LIMIT $1) AS done)
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = DingInboxStats.DoneCountLimit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DingInboxStats(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
        {
            Done = reader.GetInt64(3),
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DingInboxRecord>> ListAsync(DingInboxState? state, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = state switch
        {
            null => string.Empty,
            DingInboxState.Failed => "WHERE state = 0 AND last_error IS NOT NULL",
            _ => "WHERE state = " + ((int)state.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var command = _schema.DataSource.CreateCommand($"SELECT {Columns} FROM {_table} {filter} ORDER BY id DESC LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DingInboxRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT {Columns} FROM {_table} WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        var records = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    /// <inheritdoc />
    public async ValueTask<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"UPDATE {_table} SET state = 0, attempts = 0, next_attempt_at = $1, leased_until = NULL, completed_at = NULL WHERE id = $2 AND state IN (0, 2)");
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<int> RetryAllDeadAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"UPDATE {_table} SET state = 0, attempts = 0, next_attempt_at = $1, leased_until = NULL, completed_at = NULL WHERE state = 2");
        command.Parameters.Add(Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeDeadAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE state = 2");
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> PurgeDeadAsync(long id, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_table} WHERE id = $1 AND state = 2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Disposes the data source when the inbox created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _schema.DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static NpgsqlParameter<DateTime> Time(DateTimeOffset value) => new() { TypedValue = value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static string Prefixed(string prefix) => prefix + Columns.Replace(", ", ", " + prefix, StringComparison.Ordinal);

    private static async Task<List<DingInboxRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<DingInboxRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new DingInboxRecord
            {
                Id = reader.GetInt64(0),
                Entry = new DingInboxEntry
                {
                    AppName = reader.GetString(1),
                    DedupKey = reader.GetString(2),
                    EventId = reader.GetString(3),
                    EventType = reader.GetString(4),
                    Channel = (DingDeliveryChannel)reader.GetInt16(5),
                    CorpId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    ReceivedAt = reader.GetFieldValue<DateTimeOffset>(7),
                    Envelope = new DingSealedMessage(reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11)),
                },
                State = (DingInboxState)reader.GetInt16(12),
                Attempts = reader.GetInt32(13),
                NextAttemptAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                LeasedUntil = reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
                CompletedAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
                LastError = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        }

        return records;
    }
}

/// <summary>Builds the AOT-clean data sources DingGen uses.</summary>
internal static class PostgreSqlDataSources
{
    /// <summary>A slim data source (no reflection-based type mapping) with arrays on, as the batched statements need.</summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableArrays();
        return builder.Build();
    }
}
