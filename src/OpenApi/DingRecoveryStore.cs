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

/// <summary>
/// Remembers which failed-list entries a recovery handled, so running the recovery again skips them. Only successfully handled
/// entries are recorded. The default is <see cref="DingJsonLinesRecoveryStore"/>; a durable inbox can take its place.
/// </summary>
public interface IDingRecoveryStore
{
    /// <summary>Whether <paramref name="key"/> was recorded by an earlier recovery.</summary>
    ValueTask<bool> ContainsAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="key"/> as handled; recording it again is harmless.</summary>
    ValueTask AddAsync(DingRecoveryKey key, CancellationToken cancellationToken = default);
}

/// <summary>
/// The default <see cref="IDingRecoveryStore"/>: a JSON-lines file, one <c>{"tag","eventTime","sha256","recoveredAt"}</c> line
/// per handled entry, appended and flushed as each entry is handled. On Unix the file is created readable and writable by
/// its owner only. A line that cannot be read (for example one cut short by a crash) is ignored.
/// </summary>
/// <remarks>Thread-safe within one process. Not meant to be shared by several processes at once.</remarks>
public sealed class DingJsonLinesRecoveryStore : IDingRecoveryStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private HashSet<DingRecoveryKey>? _keys;

    /// <summary>Creates a store over the file at <paramref name="path"/> (created on the first record, with its directory).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="timeProvider">The clock the <c>recoveredAt</c> member is read from.</param>
    public DingJsonLinesRecoveryStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

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
            if (!keys.Add(key))
            {
                return;
            }

            var line = new ArrayBufferWriter<byte>(160);
            using (var writer = new Utf8JsonWriter(line))
            {
                writer.WriteStartObject();
                writer.WriteString("tag"u8, key.Tag);
                writer.WriteNumber("eventTime"u8, key.EventTimeMilliseconds);
                writer.WriteString("sha256"u8, key.DataSha256);
                writer.WriteString("recoveredAt"u8, _timeProvider.GetUtcNow());
                writer.WriteEndObject();
            }

            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(Path, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
                stream.WriteByte((byte)'\n');
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
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
                if (TryParse(line, out var key))
                {
                    keys.Add(key);
                }
            }
        }

        _keys = keys;
        return keys;
    }

    private static bool TryParse(string line, out DingRecoveryKey key)
    {
        key = default;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
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
