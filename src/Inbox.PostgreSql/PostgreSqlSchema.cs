using Npgsql;

namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// Creates and migrates DingGen's tables in one schema: once per process, in one transaction under a transaction-scoped advisory lock
/// (<c>pg_advisory_xact_lock</c>), so any number of replicas may start at the same moment. The applied version is kept in
/// <c>schema_version</c>; a database migrated by a newer DingGen is refused rather than written with an older layout.
/// </summary>
internal sealed class PostgreSqlSchema
{
    /// <summary>The schema version this build writes and understands.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Step N brings the schema from version N-1 to N. Add steps; never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {0}.inbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            app text NOT NULL,
            dedup_key text NOT NULL,
            event_id text NOT NULL,
            event_type text NOT NULL,
            channel smallint NOT NULL,
            corp_id text,
            received_at timestamptz NOT NULL,
            signature text NOT NULL,
            "timestamp" text NOT NULL,
            nonce text NOT NULL,
            encrypt text NOT NULL,
            state smallint NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz,
            leased_until timestamptz,
            completed_at timestamptz,
            last_error text,
            CONSTRAINT ux_inbox_dedup UNIQUE (app, dedup_key));
        CREATE INDEX ix_inbox_due ON {0}.inbox (next_attempt_at, id) WHERE state = 0;
        CREATE INDEX ix_inbox_done ON {0}.inbox (completed_at) WHERE state = 1;
        CREATE INDEX ix_inbox_dead ON {0}.inbox (id) WHERE state = 2;
        CREATE TABLE {0}.replay_guard (
            app text NOT NULL,
            signature text NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (app, signature));
        CREATE INDEX ix_replay_guard_expiry ON {0}.replay_guard (expires_at);
        CREATE TABLE {0}.stream_lease (
            app text PRIMARY KEY,
            holder text NOT NULL,
            acquired_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL);
        """,
        """
        CREATE TABLE {0}.recovery_handled (
            app text NOT NULL,
            tag text NOT NULL,
            event_time bigint NOT NULL,
            sha256 text NOT NULL,
            recovered_at timestamptz NOT NULL,
            PRIMARY KEY (app, tag, event_time, sha256));
        CREATE TABLE {0}.recovery_pending (
            id bigint GENERATED ALWAYS AS IDENTITY,
            app text NOT NULL,
            tag text NOT NULL,
            event_time bigint NOT NULL,
            sha256 text NOT NULL,
            state smallint NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            last_error text,
            entry_tag text NOT NULL,
            entry_time bigint NOT NULL,
            corp_id text,
            raw text NOT NULL,
            data text,
            PRIMARY KEY (app, tag, event_time, sha256));
        CREATE INDEX ix_recovery_pending_order ON {0}.recovery_pending (app, id);
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public PostgreSqlSchema(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!PostgreSqlInboxOptions.IsValidSchema(schema))
        {
            throw new ArgumentException("The schema must be a lowercase identifier (letters a-z, digits, underscores; at most 63 characters; not starting with a digit).", nameof(schema));
        }

        _dataSource = dataSource;
        Name = schema;
        Quoted = "\"" + schema + "\"";
    }

    /// <summary>The schema name.</summary>
    public string Name { get; }

    /// <summary>The schema name, quoted for SQL.</summary>
    public string Quoted { get; }

    /// <summary>The data source every query uses.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The advisory-lock key of this schema's migrations: a fixed prefix mixed with the FNV-1a hash of the name.</summary>
    internal long LockKey
    {
        get
        {
            var hash = 14695981039346656037UL;
            foreach (var c in "dinggen-schema:" + Name)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return unchecked((long)hash);
        }
    }

    /// <summary>Creates or migrates the schema unless this process already did; returns the version found before (0 = created).</summary>
    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// For tools (the CLI) that must not create or migrate anything: checks that the schema exists at this build's version and marks it
    /// ready. Throws <see cref="InvalidOperationException"/> with a message for an operator otherwise.
    /// </summary>
    public async Task CheckExistingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT to_regclass('{Quoted}.schema_version') IS NOT NULL");
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            throw new InvalidOperationException($"no DingGen inbox in schema \"{Name}\" of this database (a host creates it when it starts)");
        }

        await using var version = _dataSource.CreateCommand($"SELECT version FROM {Quoted}.schema_version WHERE id = 1");
        var found = await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        if (found != CurrentVersion)
        {
            throw new InvalidOperationException($"the DingGen schema \"{Name}\" has version {found}; this dinggen understands version {CurrentVersion}. Use the dinggen of the version your hosts run.");
        }

        _ready = true;
    }

    /// <summary>Runs the migrations under the advisory lock; returns the version found before.</summary>
    internal async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = LockKey });
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, $"""
                    CREATE SCHEMA IF NOT EXISTS {Quoted};
                    CREATE TABLE IF NOT EXISTS {Quoted}.schema_version (
                        id integer PRIMARY KEY CHECK (id = 1),
                        version integer NOT NULL,
                        migrated_at timestamptz NOT NULL DEFAULT now());
                    """, cancellationToken).ConfigureAwait(false);

                int before;
                await using (var command = new NpgsqlCommand($"SELECT version FROM {Quoted}.schema_version WHERE id = 1", connection, transaction))
                {
                    before = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
                }

                if (before > CurrentVersion)
                {
                    throw new InvalidOperationException($"The DingGen schema \"{Name}\" has version {before}, newer than this DingGen.Inbox.PostgreSql supports ({CurrentVersion}). Upgrade every replica before it runs against this database.");
                }

                for (var version = before + 1; version <= CurrentVersion; version++)
                {
                    await ExecuteAsync(connection, transaction, string.Format(System.Globalization.CultureInfo.InvariantCulture, Migrations[version - 1], Quoted), cancellationToken).ConfigureAwait(false);
                }

                if (before != CurrentVersion)
                {
                    await ExecuteAsync(connection, transaction, $"""
                        INSERT INTO {Quoted}.schema_version (id, version) VALUES (1, {CurrentVersion})
                        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, migrated_at = now()
                        """, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return before;
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
