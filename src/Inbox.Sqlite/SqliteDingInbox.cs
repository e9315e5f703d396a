using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DingGen.Inbox.Sqlite;

/// <summary>
/// The embedded durable inbox: one SQLite database file in WAL mode with <c>synchronous=FULL</c>, so an added entry is on disk
/// (fsync'd) before <see cref="AddAsync"/> returns and DingTalk is answered. A unique index on (app, dedup key) makes a duplicate row
/// impossible. One writer connection per instance serialises this process's operations; other processes (the CLI) wait up to
/// <see cref="SqliteInboxOptions.BusyTimeout"/> for the lock.
/// </summary>
/// <remarks>
/// The file is created with mode 0600 on Unix before SQLite opens it. Stored are the sealed envelope (signature, timestamp, nonce and
/// ciphertext as DingTalk sent them), the dedup key, the event type, corp id and processing state; never a decrypted payload.
/// </remarks>
public sealed class SqliteDingInbox : IDingInbox, IDingInboxAdmin, IDingInboxRestartRecovery, IDingInboxLeaseRelease, IDingInboxBatchCompletion, IDingInboxLeasedAdd, IAsyncDisposable, IDisposable
{
    private const int SchemaVersion = 1;

    private const string Columns = "id, app, dedup_key, event_id, event_type, channel, corp_id, received_at, signature, timestamp, nonce, encrypt, state, attempts, next_attempt_at, leased_until, completed_at, last_error";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly List<PendingAdd> _pendingAdds = [];
    private readonly List<PendingComplete> _pendingCompletes = [];
    private readonly List<PendingClaim> _pendingClaims = [];
    private readonly SemaphoreSlim _writerWake = new(0);
    private Thread? _writer;
    private bool _writing;
    private bool _writerStopped;
    private int _batchesTaken;
    private readonly bool _createIfMissing;
    private readonly int _busyTimeoutMs;
    private SqliteConnection? _connection;
    private bool _disposed;

    /// <summary>Opens (and on first use creates, mode 0600) the inbox database at <paramref name="path"/>.</summary>
    /// <param name="path">The database file; a relative path is relative to the current directory.</param>
    /// <param name="busyTimeout">How long to wait for another process's lock; 5 s when <see langword="null"/>.</param>
    public SqliteDingInbox(string path, TimeSpan? busyTimeout = null)
        : this(path, busyTimeout, createIfMissing: true)
    {
    }

    private SqliteDingInbox(string path, TimeSpan? busyTimeout, bool createIfMissing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _createIfMissing = createIfMissing;
        _busyTimeoutMs = (int)Math.Clamp((busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds, 0, int.MaxValue);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Opens an existing inbox database (the CLI); never creates one.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    internal static SqliteDingInbox OpenExisting(string path)
    {
        var inbox = new SqliteDingInbox(path, null, createIfMissing: false);
        if (!File.Exists(inbox.Path))
        {
            throw new FileNotFoundException("no inbox database at this path", inbox.Path);
        }

        return inbox;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Group commit: the entry is queued, and one writer writes every queued add, completion and claim in one transaction and one fsync; the
    /// call returns only after the transaction holding its entry committed. Under load this turns N fsyncs into one without weakening
    /// "durable on return". Cancelling the call stops the wait, not the write: an entry already queued may still be stored.
    /// </remarks>
    public async ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAdd(entry, lease: null);
        Enqueue(_pendingAdds, pending);
        return await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false) == 0 ? DingInboxAddResult.Duplicate : DingInboxAddResult.Added;
    }

    /// <inheritdoc />
    /// <remarks>Written with the other queued adds, in the same transaction and fsync (group commit, as <see cref="AddAsync"/>).</remarks>
    public async ValueTask<DingInboxRecord?> AddLeasedAsync(DingInboxEntry entry, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var leasedUntil = DingInboxLeases.End(now, leaseDuration);
        var pending = new PendingAdd(entry, leasedUntil);
        Enqueue(_pendingAdds, pending);
        var id = await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return id == 0 ? null : DingInboxLeases.LeasedRecord(id, entry, DateTimeOffset.FromUnixTimeMilliseconds(entry.ReceivedAt.ToUnixTimeMilliseconds()), leasedUntil);
    }

    /// <summary>The number of batches the writer has taken so far, each written in one transaction (tests read it).</summary>
    internal int BatchesTaken
    {
        get
        {
            lock (_queueGate)
            {
                return _batchesTaken;
            }
        }
    }

    /// <summary>The writer thread once a write started it (tests watch its life).</summary>
    internal Thread? WriterThread
    {
        get
        {
            lock (_queueGate)
            {
                return _writer;
            }
        }
    }

    /// <summary>Queues <paramref name="pending"/> for the writer and wakes the writer unless it is writing.</summary>
    private void Enqueue<T>(List<T> queue, T pending)
        where T : PendingWrite
    {
        lock (_queueGate)
        {
            if (_writerStopped)
            {
                pending.Fail(new ObjectDisposedException(GetType().FullName));
                return;
            }

            queue.Add(pending);
            if (!_writing)
            {
                _writing = true;
                if (_writer is null)
                {
                    // Kept only once started: if the thread cannot start, this write fails and the next one tries again.
                    var writer = new Thread(WriterLoop) { IsBackground = true, Name = "DingGen SQLite inbox writer" };
                    try
                    {
                        writer.Start();
                    }
                    catch
                    {
                        queue.Remove(pending);
                        _writing = false;
                        throw;
                    }

                    _writer = writer;
                }
                else
                {
                    _writerWake.Release();
                }
            }
        }
    }

    /// <summary>
    /// The writer thread, started by the first write and ended by <see cref="Dispose"/>: writes whatever is queued
    /// (<see cref="WriteQueued"/>), then sleeps until <see cref="Enqueue"/> wakes it. Its own thread, not the thread pool's: a
    /// transaction blocks in SQLite's <c>fsync</c> for about half of its time, and a pool thread blocked that way made the pool
    /// add threads, whose parking and waking the requests then paid for (about 6 % more callbacks per second with the intake alone).
    /// </summary>
    private void WriterLoop()
    {
        while (true)
        {
            WriteQueued();
            lock (_queueGate)
            {
                // Stopped, and nothing queued since (after the stop nothing can be): the thread ends. Otherwise the write that
                // set _writing again has released the wake-up, and the wait below returns at once.
                if (_writerStopped && !_writing)
                {
                    return;
                }
            }

            _writerWake.Wait();
        }
    }

    /// <summary>
    /// Writes until nothing is queued: takes every queued add, completion and claim and writes them in one transaction on the writer
    /// connection (<see cref="Run"/>, held only for the write). Callers never wait for the connection themselves, so a finished
    /// batch wakes exactly its own callers, and whatever queued meanwhile becomes the next batch at once. Never throws: every caller
    /// of a batch gets its result once the transaction committed, or the exception (nothing of the batch is stored: an add's caller
    /// answers non-success; a completed entry's lease expires and it runs again, at-least-once; a claim claimed nothing).
    /// </summary>
    private void WriteQueued()
    {
        while (true)
        {
            PendingAdd[] adds;
            PendingComplete[] completes;
            PendingClaim[] claims;
            PendingWrite[] batch;
            lock (_queueGate)
            {
                if (_pendingAdds.Count == 0 && _pendingCompletes.Count == 0 && _pendingClaims.Count == 0)
                {
                    _writing = false;
                    return;
                }

                adds = [.. _pendingAdds];
                _pendingAdds.Clear();
                completes = [.. _pendingCompletes];
                _pendingCompletes.Clear();
                claims = [.. _pendingClaims];
                _pendingClaims.Clear();
                batch = [.. adds, .. completes, .. claims];
                _batchesTaken++;
            }

            try
            {
                Run(connection => WriteBatch(connection, adds, completes, claims));
                foreach (var pending in batch)
                {
                    pending.Succeed();
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Fail(ex);
                }
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="adds"/>, <paramref name="completes"/> and <paramref name="claims"/> (in that order) in one transaction and
    /// sets each one's <see cref="PendingWrite{T}.Outcome"/>; returns the number of operations written.
    /// </summary>
    private static int WriteBatch(SqliteConnection connection, PendingAdd[] adds, PendingComplete[] completes, PendingClaim[] claims)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        if (adds.Length > 0)
        {
            InsertAdds(connection, transaction, adds);
        }

        if (completes.Length > 0)
        {
            UpdateCompletions(connection, transaction, completes);
        }

        foreach (var claim in claims)
        {
            claim.Outcome = Claim(connection, transaction, claim);
        }

        transaction.Commit();
        return adds.Length + completes.Length + claims.Length;
    }

    private static void InsertAdds(SqliteConnection connection, SqliteTransaction transaction, PendingAdd[] batch)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO dinggen_inbox (app, dedup_key, event_id, event_type, channel, corp_id, received_at, signature, timestamp, nonce, encrypt, state, attempts, next_attempt_at, leased_until)
            VALUES ($app, $key, $eventId, $eventType, $channel, $corpId, $receivedAt, $signature, $timestamp, $nonce, $encrypt, 0, $attempts, $receivedAt, $lease)
            ON CONFLICT (app, dedup_key) DO NOTHING
            """;
        var app = command.Parameters.Add("$app", SqliteType.Text);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var eventId = command.Parameters.Add("$eventId", SqliteType.Text);
        var eventType = command.Parameters.Add("$eventType", SqliteType.Text);
        var channel = command.Parameters.Add("$channel", SqliteType.Integer);
        var corpId = command.Parameters.Add("$corpId", SqliteType.Text);
        var receivedAt = command.Parameters.Add("$receivedAt", SqliteType.Integer);
        var signature = command.Parameters.Add("$signature", SqliteType.Text);
        var timestamp = command.Parameters.Add("$timestamp", SqliteType.Text);
        var nonce = command.Parameters.Add("$nonce", SqliteType.Text);
        var encrypt = command.Parameters.Add("$encrypt", SqliteType.Text);
        var attempts = command.Parameters.Add("$attempts", SqliteType.Integer);
        var lease = command.Parameters.Add("$lease", SqliteType.Integer);
        for (var i = 0; i < batch.Length; i++)
        {
            var entry = batch[i].Entry;
            app.Value = entry.AppName;
            key.Value = entry.DedupKey;
            eventId.Value = entry.EventId;
            eventType.Value = entry.EventType;
            channel.Value = (int)entry.Channel;
            corpId.Value = (object?)entry.CorpId ?? DBNull.Value;
            receivedAt.Value = entry.ReceivedAt.ToUnixTimeMilliseconds();
            signature.Value = entry.Envelope.Signature;
            timestamp.Value = entry.Envelope.Timestamp;
            nonce.Value = entry.Envelope.Nonce;
            encrypt.Value = entry.Envelope.Encrypt;

            // Stored leased (AddLeasedAsync): as a claim leaves it, attempt 1 counted.
            attempts.Value = batch[i].Lease is null ? 0 : 1;
            lease.Value = batch[i].Lease is { } until ? until.ToUnixTimeMilliseconds() : DBNull.Value;

            // The new row's id, or 0 for a duplicate (DO NOTHING changes no row), read without RETURNING: a RETURNING clause costs a
            // data reader per row, and made the writer's inserts half as slow again (14 against 10 µs per row).
            batch[i].Outcome = command.ExecuteNonQuery() == 1 ? SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle) : 0;
        }
    }

    private static void UpdateCompletions(SqliteConnection connection, SqliteTransaction transaction, PendingComplete[] batch)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE dinggen_inbox SET state = 1, completed_at = $now, leased_until = NULL, next_attempt_at = NULL WHERE id = $id";
        var now = command.Parameters.Add("$now", SqliteType.Integer);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var pending in batch)
        {
            now.Value = pending.NowMs;
            foreach (var entryId in pending.Ids)
            {
                id.Value = entryId;
                command.ExecuteNonQuery();
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Written by the writer, in the same transaction as the adds and completions queued with it (after them, so it can claim an entry
    /// added in the same transaction): a claim costs no commit of its own, and never waits for the writer connection while adds queue
    /// behind it. Cancelling the call stops the wait, not the claim: entries claimed anyway are due again when their leases expire.
    /// </remarks>
    public async ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingClaim(maxCount, now.ToUnixTimeMilliseconds(), (now + leaseDuration).ToUnixTimeMilliseconds());
        Enqueue(_pendingClaims, pending);
        return await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<DingInboxRecord> Claim(SqliteConnection connection, SqliteTransaction transaction, PendingClaim claim)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            UPDATE dinggen_inbox SET attempts = attempts + 1, leased_until = $lease
            WHERE id IN (
                SELECT id FROM dinggen_inbox
                WHERE state = 0 AND next_attempt_at <= $now AND (leased_until IS NULL OR leased_until <= $now)
                ORDER BY next_attempt_at, id
                LIMIT $max)
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$now", claim.NowMs);
        command.Parameters.AddWithValue("$lease", claim.LeaseMs);
        command.Parameters.AddWithValue("$max", claim.MaxCount);
        var records = ReadAll(command);
        records.Sort(static (a, b) => a.NextAttemptAt == b.NextAttemptAt ? a.Id.CompareTo(b.Id) : Nullable.Compare(a.NextAttemptAt, b.NextAttemptAt));
        return records;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Group commit, as for <see cref="AddAsync"/>: the completion is written by the writer, in the same transaction as every add and
    /// completion queued with it; the call returns once that transaction committed.
    /// </remarks>
    public ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CompleteAsync([id], now, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One transaction for all of <paramref name="ids"/> (and for any adds and completions queued with them): all are done on return,
    /// or none and the call throws.
    /// </remarks>
    public async ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingComplete([.. ids], now.ToUnixTimeMilliseconds());
        Enqueue(_pendingCompletes, pending);
        await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(errorSummary);
        await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            if (nextAttemptAt is { } next)
            {
                command.CommandText = "UPDATE dinggen_inbox SET next_attempt_at = $next, leased_until = NULL, last_error = $error WHERE id = $id AND state = 0";
                command.Parameters.AddWithValue("$next", next.ToUnixTimeMilliseconds());
            }
            else
            {
                command.CommandText = "UPDATE dinggen_inbox SET state = 2, completed_at = $now, next_attempt_at = NULL, leased_until = NULL, last_error = $error WHERE id = $id AND state = 0";
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            }

            command.Parameters.AddWithValue("$error", errorSummary);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One transaction for all of them; an entry is released only under the very claim given (attempts and lease unchanged).</remarks>
    public async ValueTask<int> ReleaseAsync(IReadOnlyList<DingInboxRecord> claimed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var leased = claimed.Where(static r => r.LeasedUntil is not null).ToList();
        if (leased.Count == 0)
        {
            return 0;
        }

        return await RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE dinggen_inbox SET leased_until = NULL, attempts = attempts - 1 WHERE id = $id AND state = 0 AND attempts = $attempts AND leased_until = $lease";
            var id = command.Parameters.Add("$id", SqliteType.Integer);
            var attempts = command.Parameters.Add("$attempts", SqliteType.Integer);
            var lease = command.Parameters.Add("$lease", SqliteType.Integer);
            var released = 0;
            foreach (var record in leased)
            {
                id.Value = record.Id;
                attempts.Value = record.Attempts;
                lease.Value = record.LeasedUntil!.Value.ToUnixTimeMilliseconds();
                released += command.ExecuteNonQuery();
            }

            transaction.Commit();
            return released;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One host process owns the embedded inbox, so at its start-up every lease on a pending entry is a dead process's.</remarks>
    public async ValueTask<int> ReleaseStaleLeasesAsync(CancellationToken cancellationToken = default) =>
        await RunAsync(static connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE dinggen_inbox SET leased_until = NULL WHERE state = 0 AND leased_until IS NOT NULL";
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The most done entries <see cref="PurgeDoneAsync"/> deletes in one transaction (tests lower it). A chunk of 1,000 takes a few
    /// milliseconds; one statement for an hour's worth of done entries held the writer for seconds, and every callback's commit with it.
    /// </summary>
    internal int PurgeChunkSize { get; set; } = 1000;

    /// <summary>Awaited between two chunks of <see cref="PurgeDoneAsync"/>, while the purge does not hold the writer connection (tests).</summary>
    internal Func<ValueTask>? BetweenPurgeChunks { get; set; }

    /// <inheritdoc />
    /// <remarks>
    /// Deletes in chunks of at most <see cref="PurgeChunkSize"/> entries, oldest first, each in its own transaction, and takes the
    /// writer connection afresh for each: adds and completions queued meanwhile are written between two chunks instead of waiting for
    /// the whole purge. Cancelling stops after the chunk in progress; the entries deleted until then stay deleted.
    /// </remarks>
    public async ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        var before = completedBefore.ToUnixTimeMilliseconds();
        var chunk = PurgeChunkSize;
        var total = 0;
        while (true)
        {
            var deleted = await RunAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    DELETE FROM dinggen_inbox WHERE id IN (
                        SELECT id FROM dinggen_inbox WHERE state = 1 AND completed_at < $before ORDER BY completed_at LIMIT $chunk)
                    """;
                command.Parameters.AddWithValue("$before", before);
                command.Parameters.AddWithValue("$chunk", chunk);
                return command.ExecuteNonQuery();
            }, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < chunk)
            {
                return total;
            }

            if (BetweenPurgeChunks is { } between)
            {
                await between().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT
                    (SELECT COUNT(*) FROM dinggen_inbox WHERE state = 0),
                    (SELECT COUNT(*) FROM dinggen_inbox WHERE state = 2),
                    (SELECT MIN(received_at) FROM dinggen_inbox WHERE state = 0),
                    (SELECT COUNT(*) FROM (SELECT 1 FROM dinggen_inbox WHERE state = 1 LIMIT $doneLimit))
                """;
            command.Parameters.AddWithValue("$doneLimit", DingInboxStats.DoneCountLimit);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new DingInboxStats(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            {
                Done = reader.GetInt64(3),
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DingInboxRecord>> ListAsync(DingInboxState? state, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await RunAsync<IReadOnlyList<DingInboxRecord>>(connection =>
        {
            using var command = connection.CreateCommand();
            var filter = state switch
            {
                null => string.Empty,
                DingInboxState.Failed => "WHERE state = 0 AND last_error IS NOT NULL",
                _ => "WHERE state = " + ((int)state.Value).ToString(CultureInfo.InvariantCulture),
            };
            command.CommandText = $"SELECT {Columns} FROM dinggen_inbox {filter} ORDER BY id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            return ReadAll(command);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DingInboxRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM dinggen_inbox WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            var records = ReadAll(command);
            return records.Count == 0 ? null : records[0];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE dinggen_inbox SET state = 0, attempts = 0, next_attempt_at = $now, leased_until = NULL, completed_at = NULL WHERE id = $id AND state IN (0, 2)";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> RetryAllDeadAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE dinggen_inbox SET state = 0, attempts = 0, next_attempt_at = $now, leased_until = NULL, completed_at = NULL WHERE state = 2";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeDeadAsync(CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM dinggen_inbox WHERE state = 2";
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> PurgeDeadAsync(long id, CancellationToken cancellationToken = default)
    {
        return await RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM dinggen_inbox WHERE id = $id AND state = 2";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the database. Writes queued by then fail with <see cref="ObjectDisposedException"/>; the writer thread ends.</summary>
    public void Dispose()
    {
        lock (_queueGate)
        {
            if (!_writerStopped)
            {
                _writerStopped = true;

                // A writing writer looks at the flag once it has written what is queued; a sleeping one is woken to see it.
                if (_writer is not null && !_writing)
                {
                    _writerWake.Release();
                }
            }
        }

        _lock.Wait();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Closes the database.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<T> RunAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Execute(operation);
    }

    /// <summary><see cref="RunAsync"/> for the writer thread, which may block while it waits for the connection.</summary>
    private T Run<T>(Func<SqliteConnection, T> operation)
    {
        _lock.Wait();
        return Execute(operation);
    }

    /// <summary>Runs <paramref name="operation"/> on the connection; the caller holds <see cref="_lock"/>, which this releases.</summary>
    private T Execute<T>(Func<SqliteConnection, T> operation)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _connection ??= Open();
            return operation(connection);
        }
        catch (SqliteException)
        {
            // A broken connection (e.g. the file was replaced) is reopened on the next operation.
            _connection?.Dispose();
            _connection = null;
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    private SqliteConnection Open()
    {
        if (!File.Exists(Path))
        {
            if (!_createIfMissing)
            {
                throw new FileNotFoundException("no inbox database at this path", Path);
            }

            CreateOwnerOnlyFile(Path);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = _createIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)}");
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = FULL");
            EnsureSchema(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void EnsureSchema(SqliteConnection connection)
    {
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        var current = Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current == SchemaVersion)
        {
            return;
        }

        if (current > SchemaVersion)
        {
            throw new InvalidOperationException($"The inbox database has schema version {current}, newer than this DingGen.Inbox.Sqlite supports ({SchemaVersion}).");
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS dinggen_inbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                app TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                event_id TEXT NOT NULL,
                event_type TEXT NOT NULL,
                channel INTEGER NOT NULL,
                corp_id TEXT,
                received_at INTEGER NOT NULL,
                signature TEXT NOT NULL,
                timestamp TEXT NOT NULL,
                nonce TEXT NOT NULL,
                encrypt TEXT NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at INTEGER,
                leased_until INTEGER,
                completed_at INTEGER,
                last_error TEXT);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_dinggen_inbox_dedup ON dinggen_inbox (app, dedup_key);
            CREATE INDEX IF NOT EXISTS ix_dinggen_inbox_due ON dinggen_inbox (state, next_attempt_at);
            CREATE INDEX IF NOT EXISTS ix_dinggen_inbox_completed ON dinggen_inbox (state, completed_at);
            PRAGMA user_version = {SchemaVersion};
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Creates an empty file readable and writable by its owner only (0600 on Unix), and its directory when missing.</summary>
    internal static void CreateOwnerOnlyFile(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else in the meantime (another process opening the same inbox).
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<DingInboxRecord> ReadAll(SqliteCommand command)
    {
        var records = new List<DingInboxRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
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
                    Channel = (DingDeliveryChannel)reader.GetInt32(5),
                    CorpId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    Envelope = new DingSealedMessage(reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11)),
                },
                State = (DingInboxState)reader.GetInt32(12),
                Attempts = reader.GetInt32(13),
                NextAttemptAt = Time(reader, 14),
                LeasedUntil = Time(reader, 15),
                CompletedAt = Time(reader, 16),
                LastError = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        }

        return records;
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>An operation queued for the writer: written in its transaction, its caller told once that transaction ended.</summary>
    private abstract class PendingWrite
    {
        /// <summary>Tells the caller the transaction committed.</summary>
        public abstract void Succeed();

        /// <summary>Tells the caller the transaction failed: nothing of it is stored.</summary>
        public abstract void Fail(Exception exception);
    }

    /// <summary>A <see cref="PendingWrite"/> whose caller gets <see cref="Outcome"/>, set while the transaction is written.</summary>
    private abstract class PendingWrite<T> : PendingWrite
    {
        public T Outcome { get; set; } = default!;

        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Succeed() => Result.TrySetResult(Outcome);

        public override void Fail(Exception exception) => Result.TrySetException(exception);
    }

    /// <summary>An add waiting for the transaction that writes it; its outcome is the new row's id, or 0 for a duplicate.</summary>
    private sealed class PendingAdd(DingInboxEntry entry, DateTimeOffset? lease) : PendingWrite<long>
    {
        public DingInboxEntry Entry { get; } = entry;

        /// <summary>Until when the entry is stored leased (<see cref="AddLeasedAsync"/>), or <see langword="null"/> for a plain add.</summary>
        public DateTimeOffset? Lease { get; } = lease;
    }

    /// <summary>Completions (one call's entries) waiting for the transaction that writes them (no outcome: the caller learns only that it committed).</summary>
    private sealed class PendingComplete(long[] ids, long nowMs) : PendingWrite<bool>
    {
        public long[] Ids { get; } = ids;

        public long NowMs { get; } = nowMs;
    }

    /// <summary>A claim waiting for the transaction that makes it; its outcome is the claimed entries.</summary>
    private sealed class PendingClaim(int maxCount, long nowMs, long leaseMs) : PendingWrite<IReadOnlyList<DingInboxRecord>>
    {
        public int MaxCount { get; } = maxCount;

        public long NowMs { get; } = nowMs;

        public long LeaseMs { get; } = leaseMs;
    }
}
