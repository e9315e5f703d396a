using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DingGen;

/// <summary>
/// Identifies a failed-list entry across pulls, since DingTalk's failed list has no id and may return an entry again:
/// its tag, its event time and the SHA-256 of its data member.
/// </summary>
/// <param name="Tag">The entry's <c>call_back_tag</c>.</param>
/// <param name="EventTimeMilliseconds">The entry's <c>event_time</c>, Unix milliseconds.</param>
/// <param name="DataSha256">Lowercase hex SHA-256 of the entry's data member as DingTalk sent it (UTF-8; empty when absent).</param>
public readonly record struct DingRecoveryKey(string Tag, long EventTimeMilliseconds, string DataSha256)
{
    /// <summary>The key of <paramref name="entry"/>.</summary>
    public static DingRecoveryKey For(DingFailedEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var data = Encoding.UTF8.GetBytes(entry.DataJson ?? string.Empty);
        return new DingRecoveryKey(entry.Tag, entry.EventTime.ToUnixTimeMilliseconds(), Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    /// <summary>A stable event id derived from the key (lowercase hex SHA-256 of tag, event time and data hash), for entries without <c>eventId</c>/<c>BizId</c>.</summary>
    public string ToEventId()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Tag}\n{EventTimeMilliseconds}\n{DataSha256}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>Where an unfinished failed-list entry stands in an <see cref="IDingRecoveryStore"/>.</summary>
public enum DingRecoveryEntryState
{
    /// <summary>Stored before its first dispatch, or failed and waiting for <see cref="DingRecoveryPendingEntry.NextAttemptAt"/>; a later recovery retries it.</summary>
    Pending = 0,

    /// <summary>Failed <see cref="DingFailedEventRecoveryOptions.MaxAttempts"/> times: no longer retried on its own; listed by
    /// <see cref="DingFailedEventRecovery.GetDeadLettersAsync"/> and retried by hand with <see cref="DingFailedEventRecovery.RetryDeadLetterAsync"/>.</summary>
    DeadLettered = 1,
}

/// <summary>
/// A failed-list entry a recovery fetched but has not finished: stored before its handlers run, so an entry DingTalk does not list
/// again (reading the list may consume it) is never lost.
/// </summary>
/// <param name="Key">The entry's key.</param>
/// <param name="Entry">The entry as DingTalk listed it (tag, time, data).</param>
/// <param name="Attempts">How many times its handlers ran and failed.</param>
/// <param name="NextAttemptAt">When a recovery may run it again (backoff after a failure; the store time before the first run).</param>
/// <param name="State">Pending or dead-lettered.</param>
/// <param name="LastError">The last failure's message (handler and exception message); never the payload.</param>
public sealed record DingRecoveryPendingEntry(DingRecoveryKey Key, DingFailedEvent Entry, int Attempts, DateTimeOffset NextAttemptAt, DingRecoveryEntryState State, string? LastError);

/// <summary>
/// The durable record of a failed-event recovery: which failed-list entries were handled (so running the recovery again skips
/// them) and which were fetched but not yet handled (so none is lost when DingTalk does not list it again). The default is
/// <see cref="DingJsonLinesRecoveryStore"/>; a shared database store can take its place for several hosts.
/// </summary>
public interface IDingRecoveryStore
{
    /// <summary>Whether <paramref name="key"/> was recorded as handled by an earlier recovery.</summary>
    ValueTask<bool> ContainsAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="key"/> as handled and forgets its unfinished record (and data), if any; recording it again is harmless.</summary>
    ValueTask AddAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces the unfinished record of <paramref name="entry"/>'s key; durable when the call returns.</summary>
    ValueTask SavePendingAsync(DingRecoveryPendingEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The unfinished record of <paramref name="key"/>, or <see langword="null"/>.</summary>
    ValueTask<DingRecoveryPendingEntry?> GetPendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);

    /// <summary>Every unfinished record (pending and dead-lettered), oldest stored first.</summary>
    ValueTask<IReadOnlyList<DingRecoveryPendingEntry>> ListPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the unfinished record of <paramref name="key"/> without recording it as handled (no handler wants it); harmless when there is none.</summary>
    ValueTask RemovePendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);
}

/// <summary>
/// The default <see cref="IDingRecoveryStore"/>: two JSON-lines files. <see cref="Path"/> holds one
/// <c>{"tag","eventTime","sha256","recoveredAt"}</c> line per handled entry (no event data). <see cref="PendingPath"/> holds the
/// unfinished entries with their data, one line per change (the last line of a key wins); it is rewritten without the dead lines
/// when they outnumber the live ones, and deleted when no entry is unfinished, so event data stays on disk only until handled.
/// Each line is flushed to disk before the call returns. On Unix both files are created readable and writable by their owner only.
/// A line that cannot be read (for example one cut short by a crash) is ignored.
/// </summary>
/// <remarks>Thread-safe within one process. Not meant to be shared by several processes at once.</remarks>
public sealed class DingJsonLinesRecoveryStore : IDingRecoveryStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private HashSet<DingRecoveryKey>? _keys;
    private Dictionary<DingRecoveryKey, DingRecoveryPendingEntry>? _pending;
    private int _pendingLines;

    /// <summary>Creates a store over the file at <paramref name="path"/> (created on the first record, with its directory).</summary>
    /// <param name="path">The file handled entries are recorded in; unfinished entries go to <see cref="PendingPath"/> beside it.</param>
    /// <param name="timeProvider">The clock the <c>recoveredAt</c> member is read from.</param>
    public DingJsonLinesRecoveryStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        PendingPath = Path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? string.Concat(Path.AsSpan(0, Path.Length - ".jsonl".Length), ".pending.jsonl")
            : Path + ".pending.jsonl";
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the file handled entries are recorded in.</summary>
    public string Path { get; }

    /// <summary>The full path of the file unfinished entries (with their data) are kept in: <see cref="Path"/> with <c>.pending.jsonl</c> in place of <c>.jsonl</c>.</summary>
    public string PendingPath { get; }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await LoadAsync(cancellationToken).ConfigureAwait(false)).Contains(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask AddAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (keys.Add(key))
            {
                var line = WriteLine(writer =>
                {
                    WriteKey(writer, key);
                    writer.WriteString("recoveredAt"u8, _timeProvider.GetUtcNow());
                });
                await AppendAsync(Path, line, cancellationToken).ConfigureAwait(false);
            }

            await RemovePendingCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SavePendingAsync(DingRecoveryPendingEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = await LoadPendingAsync(cancellationToken).ConfigureAwait(false);
            await AppendAsync(PendingPath, WritePending(entry), cancellationToken).ConfigureAwait(false);
            pending[entry.Key] = entry;
            _pendingLines++;
            await CompactIfWastefulAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<DingRecoveryPendingEntry?> GetPendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await LoadPendingAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DingRecoveryPendingEntry>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Dictionary enumeration keeps insertion order while nothing was removed; re-added keys go last, which is good enough here.
            return [.. (await LoadPendingAsync(cancellationToken).ConfigureAwait(false)).Values];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask RemovePendingAsync(DingRecoveryKey key, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RemovePendingCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask RemovePendingCoreAsync(DingRecoveryKey key, CancellationToken cancellationToken)
    {
        var pending = await LoadPendingAsync(cancellationToken).ConfigureAwait(false);
        if (!pending.Remove(key))
        {
            return;
        }

        if (pending.Count == 0)
        {
            // Nothing unfinished: no event data needs to stay on disk.
            File.Delete(PendingPath);
            _pendingLines = 0;
            return;
        }

        await AppendAsync(PendingPath, WriteLine(writer =>
        {
            WriteKey(writer, key);
            writer.WriteString("state"u8, "removed"u8);
        }), cancellationToken).ConfigureAwait(false);
        _pendingLines++;
        await CompactIfWastefulAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask CompactIfWastefulAsync(CancellationToken cancellationToken)
    {
        var pending = _pending!;
        if (_pendingLines < 16 || _pendingLines < 2 * pending.Count)
        {
            return;
        }

        // Rewrite the live records to a new file and move it over the old one, so a crash leaves one or the other whole.
        var temporary = PendingPath + ".tmp";
        File.Delete(temporary);
        var stream = new FileStream(temporary, CreateOptions(FileMode.CreateNew));
        await using (stream.ConfigureAwait(false))
        {
            foreach (var entry in pending.Values)
            {
                await stream.WriteAsync(WritePending(entry), cancellationToken).ConfigureAwait(false);
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, PendingPath, overwrite: true);
        _pendingLines = pending.Count;
    }

    private static ReadOnlyMemory<byte> WritePending(DingRecoveryPendingEntry entry) => WriteLine(writer =>
    {
        WriteKey(writer, entry.Key);
        writer.WriteString("state"u8, entry.State == DingRecoveryEntryState.DeadLettered ? "dead"u8 : "pending"u8);
        writer.WriteNumber("attempts"u8, entry.Attempts);
        writer.WriteString("nextAttemptAt"u8, entry.NextAttemptAt);
        if (entry.LastError is not null)
        {
            writer.WriteString("error"u8, entry.LastError);
        }

        writer.WriteString("entryTag"u8, entry.Entry.Tag);
        writer.WriteNumber("entryTime"u8, entry.Entry.EventTime.ToUnixTimeMilliseconds());
        if (entry.Entry.CorpId is not null)
        {
            writer.WriteString("corpId"u8, entry.Entry.CorpId);
        }

        writer.WriteString("raw"u8, entry.Entry.RawJson);
        if (entry.Entry.DataJson is not null)
        {
            writer.WriteString("data"u8, entry.Entry.DataJson);
        }
    });

    private static void WriteKey(Utf8JsonWriter writer, DingRecoveryKey key)
    {
        writer.WriteString("tag"u8, key.Tag);
        writer.WriteNumber("eventTime"u8, key.EventTimeMilliseconds);
        writer.WriteString("sha256"u8, key.DataSha256);
    }

    private static ReadOnlyMemory<byte> WriteLine(Action<Utf8JsonWriter> write)
    {
        var line = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(line))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        line.Write("\n"u8);
        return line.WrittenMemory;
    }

    private static FileStreamOptions CreateOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static async ValueTask AppendAsync(string path, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(path, CreateOptions(FileMode.Append));
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private async ValueTask<HashSet<DingRecoveryKey>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_keys is not null)
        {
            return _keys;
        }

        var keys = new HashSet<DingRecoveryKey>();
        if (File.Exists(Path))
        {
            var lines = await File.ReadAllLinesAsync(Path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            foreach (var line in lines)
            {
                if (TryParse(line, out var key, out _))
                {
                    keys.Add(key);
                }
            }
        }

        _keys = keys;
        return keys;
    }

    private async ValueTask<Dictionary<DingRecoveryKey, DingRecoveryPendingEntry>> LoadPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            return _pending;
        }

        var pending = new Dictionary<DingRecoveryKey, DingRecoveryPendingEntry>();
        var count = 0;
        if (File.Exists(PendingPath))
        {
            var lines = await File.ReadAllLinesAsync(PendingPath, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            foreach (var line in lines)
            {
                count++;
                if (!TryParse(line, out var key, out var root))
                {
                    continue;
                }

                var entry = ReadPending(key, root);
                pending.Remove(key);
                if (entry is not null)
                {
                    pending[key] = entry;
                }
            }
        }

        _pending = pending;
        _pendingLines = count;
        return pending;
    }

    private static DingRecoveryPendingEntry? ReadPending(DingRecoveryKey key, JsonElement root)
    {
        var state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (state is not ("pending" or "dead")
            || !root.TryGetProperty("attempts", out var attempts) || !attempts.TryGetInt32(out var attemptCount)
            || !root.TryGetProperty("nextAttemptAt", out var next) || !next.TryGetDateTimeOffset(out var nextAt)
            || !root.TryGetProperty("entryTag", out var tag) || tag.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("entryTime", out var time) || !time.TryGetInt64(out var timeMs)
            || !root.TryGetProperty("raw", out var raw) || raw.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var corpId = root.TryGetProperty("corpId", out var corp) && corp.ValueKind == JsonValueKind.String ? corp.GetString() : null;
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var entry = new DingFailedEvent(tag.GetString()!, DateTimeOffset.FromUnixTimeMilliseconds(timeMs), corpId, raw.GetString()!, data);
        return new DingRecoveryPendingEntry(key, entry, attemptCount, nextAt, state == "dead" ? DingRecoveryEntryState.DeadLettered : DingRecoveryEntryState.Pending, error);
    }

    private static bool TryParse(string line, out DingRecoveryKey key, out JsonElement root)
    {
        key = default;
        root = default;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("tag", out var tag) && tag.ValueKind == JsonValueKind.String
                && root.TryGetProperty("eventTime", out var time) && time.TryGetInt64(out var ms)
                && root.TryGetProperty("sha256", out var hash) && hash.ValueKind == JsonValueKind.String)
            {
                key = new DingRecoveryKey(tag.GetString()!, ms, hash.GetString()!);
                return true;
            }
        }
        catch (JsonException)
        {
            // A line cut short by a crash: the entry is recovered again, which handlers must tolerate anyway.
        }

        return false;
    }
}
