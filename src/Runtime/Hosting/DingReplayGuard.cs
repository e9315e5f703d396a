using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// The replay guards of every DingTalk app (one bounded cache per app name), checked by the callback endpoint after a
/// request's signature verified and its ciphertext decrypted (see <see cref="DingReplayGuardOptions"/>). Thread-safe.
/// </summary>
/// <remarks>
/// The check runs after decryption rather than between the signature check and the decryption: only a request that
/// DingTalk (the holder of the token and the AES key) made for this app, owner key included, may enter the cache, and a
/// decrypt costs microseconds. Keys are the 20 signature bytes: the signature is a SHA-1 over the token, timestamp, nonce
/// and ciphertext joined without separators, so moving digits between <c>timestamp</c> and <c>nonce</c> keeps it valid —
/// keying on the signature catches such a re-split replay, keying on the (timestamp, nonce) strings would not.
/// </remarks>
internal sealed class DingReplayGuard
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, NonceCache> _caches = new(StringComparer.Ordinal);
    private readonly IDingReplayGuardStore? _shared;

    public DingReplayGuard(TimeProvider time, ILoggerFactory loggerFactory, IDingReplayGuardStore? shared = null)
    {
        _time = time;
        _logger = loggerFactory.CreateLogger(DingGenLog.Category);
        _shared = shared;
    }

    /// <summary>Whether accepted signatures are remembered in a store shared by every replica (else in this process's memory).</summary>
    public bool IsShared => _shared is not null;

    /// <summary>
    /// <see cref="Check"/>, with the memory of accepted requests in the shared store when there is one (<see cref="IDingReplayGuardStore"/>).
    /// When the shared store fails the request is checked against this process's memory instead, and the failure is logged.
    /// </summary>
    public async ValueTask<(DingReplayVerdict Verdict, string Message)> CheckAsync(DingCallbackApp app, string signature, string timestamp, CancellationToken cancellationToken)
    {
        if (_shared is null || app.Options.ReplayGuard is not { Enabled: true } options)
        {
            var local = Check(app, signature, timestamp, out var localMessage);
            return (local, localMessage);
        }

        var verdict = CheckTimestamp(options, timestamp, out var sentMs, out var nowMs, out var message);
        if (verdict != DingReplayVerdict.Accepted)
        {
            return (verdict, message);
        }

        if (!SignatureKey.TryParse(signature, out _))
        {
            return (DingReplayVerdict.TimestampRejected, "the signature is not 40 lowercase hex digits");
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(sentMs + (long)options.TimestampTolerance.TotalMilliseconds);
        try
        {
            return await _shared.TryRememberAsync(app.Name, signature, expires, DateTimeOffset.FromUnixTimeMilliseconds(nowMs), cancellationToken).ConfigureAwait(false)
                ? (DingReplayVerdict.Accepted, string.Empty)
                : (DingReplayVerdict.Replayed, ReplayedMessage);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DingReplayGuardLog.SharedStoreFailed(_logger, ex, app.MetricName);
            var local = Check(app, signature, timestamp, out var localMessage);
            return (local, localMessage);
        }
    }

    /// <summary><see cref="Forget"/>, in the shared store too when there is one; a failure of the store is logged, not thrown.</summary>
    public async ValueTask ForgetAsync(DingCallbackApp app, string signature)
    {
        Forget(app, signature);
        if (_shared is not null && app.Options.ReplayGuard is { Enabled: true })
        {
            try
            {
                await _shared.ForgetAsync(app.Name, signature, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                DingReplayGuardLog.SharedStoreFailed(_logger, ex, app.MetricName);
            }
        }
    }

    private const string ReplayedMessage = "a request with the same signature, timestamp and nonce was already accepted within ReplayGuard:TimestampTolerance";

    private DingReplayVerdict CheckTimestamp(DingReplayGuardOptions options, ReadOnlySpan<char> timestamp, out long sentMs, out long nowMs, out string message)
    {
        message = string.Empty;
        nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var tolerance = options.TimestampTolerance;
        if (!TryParseTimestamp(timestamp, out sentMs))
        {
            message = "the timestamp is not 13 digits (milliseconds) or 10 digits (seconds), as the replay guard requires";
            return DingReplayVerdict.TimestampRejected;
        }

        var skewMs = nowMs - sentMs;
        if (Math.Abs(skewMs) > (long)tolerance.TotalMilliseconds)
        {
            message = string.Create(
                CultureInfo.InvariantCulture,
                $"the timestamp is {Math.Abs(skewMs) / 1000.0:0.#} s {(skewMs > 0 ? "old" : "in the future")}, outside ReplayGuard:TimestampTolerance ({tolerance.TotalSeconds:0.#} s)");
            return DingReplayVerdict.TimestampRejected;
        }

        return DingReplayVerdict.Accepted;
    }

    /// <summary>
    /// Checks a verified request of <paramref name="app"/> and, when it is accepted, remembers its signature.
    /// Returns <see cref="DingReplayVerdict.Accepted"/> when the guard is off.
    /// </summary>
    public DingReplayVerdict Check(DingCallbackApp app, ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, out string message)
    {
        message = string.Empty;
        var options = app.Options.ReplayGuard;
        if (options is not { Enabled: true })
        {
            return DingReplayVerdict.Accepted;
        }

        var tolerance = options.TimestampTolerance;
        var timestampVerdict = CheckTimestamp(options, timestamp, out var sentMs, out var nowMs, out message);
        if (timestampVerdict != DingReplayVerdict.Accepted)
        {
            return timestampVerdict;
        }

        if (!SignatureKey.TryParse(signature, out var key))
        {
            // Unreachable for a verified request (the crypto accepts only 40 lowercase hex digits); refuse rather than skip the check.
            message = "the signature is not 40 lowercase hex digits";
            return DingReplayVerdict.TimestampRejected;
        }

        var cache = _caches.GetOrAdd(app.Name, static _ => new NonceCache());
        var expiresMs = sentMs + (long)tolerance.TotalMilliseconds;
        if (!cache.TryAdd(key, expiresMs, nowMs, options.NonceCacheSize, out var evictedLive))
        {
            message = ReplayedMessage;
            return DingReplayVerdict.Replayed;
        }

        if (evictedLive && cache.ShouldWarnFull(nowMs, (long)tolerance.TotalMilliseconds))
        {
            DingReplayGuardLog.CacheFull(_logger, app.MetricName, options.NonceCacheSize);
        }

        return DingReplayVerdict.Accepted;
    }

    /// <summary>
    /// Forgets an accepted request whose handler failed, so that DingTalk's redelivery of it (which may carry the same
    /// timestamp, nonce and signature) is served rather than taken for a replay.
    /// </summary>
    public void Forget(DingCallbackApp app, ReadOnlySpan<char> signature)
    {
        if (app.Options.ReplayGuard is { Enabled: true } && SignatureKey.TryParse(signature, out var key) && _caches.TryGetValue(app.Name, out var cache))
        {
            cache.Remove(key);
        }
    }

    /// <summary>The number of requests remembered for <paramref name="appName"/> (for tests and diagnostics).</summary>
    public int Count(string appName) => _caches.TryGetValue(appName, out var cache) ? cache.Count : 0;

    /// <summary>Reads a DingTalk timestamp: 13 digits are milliseconds, 10 digits are seconds; anything else is refused.</summary>
    internal static bool TryParseTimestamp(ReadOnlySpan<char> timestamp, out long unixMs)
    {
        unixMs = 0;
        if (timestamp.Length is not (10 or 13))
        {
            return false;
        }

        long value = 0;
        foreach (var c in timestamp)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        unixMs = timestamp.Length == 10 ? value * 1000 : value;
        return true;
    }

    /// <summary>The 20 bytes of a lowercase-hex SHA-1 signature.</summary>
    internal readonly record struct SignatureKey(ulong High, ulong Low, uint Tail)
    {
        public static bool TryParse(ReadOnlySpan<char> hex, out SignatureKey key)
        {
            key = default;
            Span<byte> bytes = stackalloc byte[20];
            if (hex.Length != 40 || Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 20)
            {
                return false;
            }

            key = new SignatureKey(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]));
            return true;
        }
    }

    /// <summary>
    /// A bounded set of signatures with expiry times: expired entries leave first, then, when full, the entry closest to
    /// expiry. A priority queue ordered by expiry finds both in O(log n); removed entries leave stale queue items that are
    /// skipped when dequeued.
    /// </summary>
    private sealed class NonceCache
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<SignatureKey, long> _expiries = new();
        private readonly PriorityQueue<SignatureKey, long> _byExpiry = new();
        private long _lastFullWarningMs = long.MinValue;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _expiries.Count;
                }
            }
        }

        public bool TryAdd(SignatureKey key, long expiresMs, long nowMs, int capacity, out bool evictedLive)
        {
            evictedLive = false;
            lock (_gate)
            {
                while (_byExpiry.TryPeek(out _, out var earliest) && earliest <= nowMs)
                {
                    DequeueOne();
                }

                if (_expiries.TryGetValue(key, out var existing) && existing > nowMs)
                {
                    return false;
                }

                while (_expiries.Count >= capacity && _byExpiry.Count > 0)
                {
                    evictedLive |= DequeueOne();
                }

                // Removals leave stale queue items behind; rebuild when they outnumber the live entries.
                if (_byExpiry.Count > 2 * Math.Max(capacity, _expiries.Count))
                {
                    _byExpiry.Clear();
                    foreach (var (k, e) in _expiries)
                    {
                        _byExpiry.Enqueue(k, e);
                    }
                }

                _expiries[key] = expiresMs;
                _byExpiry.Enqueue(key, expiresMs);
                return true;
            }
        }

        public void Remove(SignatureKey key)
        {
            lock (_gate)
            {
                _expiries.Remove(key);
            }
        }

        /// <summary>True at most once per tolerance window, so a full cache warns without flooding the log.</summary>
        public bool ShouldWarnFull(long nowMs, long toleranceMs)
        {
            lock (_gate)
            {
                if (_lastFullWarningMs != long.MinValue && nowMs - _lastFullWarningMs < toleranceMs)
                {
                    return false;
                }

                _lastFullWarningMs = nowMs;
                return true;
            }
        }

        /// <summary>Dequeues the earliest item; true when it was a live entry (not a stale leftover of a removal).</summary>
        private bool DequeueOne()
        {
            _byExpiry.TryDequeue(out var key, out var expiresMs);
            if (_expiries.TryGetValue(key, out var current) && current == expiresMs)
            {
                _expiries.Remove(key);
                return true;
            }

            return false;
        }
    }
}

/// <summary>The replay guard's verdict on a verified request.</summary>
internal enum DingReplayVerdict
{
    /// <summary>Fresh (or the guard is off): serve it.</summary>
    Accepted,

    /// <summary>Timestamp unreadable or outside the tolerance.</summary>
    TimestampRejected,

    /// <summary>The same signed request was already accepted within the tolerance.</summary>
    Replayed,
}

/// <summary>The replay guard's own log messages (category <c>DingGen.Callback</c>).</summary>
internal static partial class DingReplayGuardLog
{
    [LoggerMessage(EventId = 40, EventName = "ReplayGuardCacheFull", Level = LogLevel.Warning,
        Message = "DingTalk replay guard for {App} is full ({Capacity} requests remembered): unexpired entries are being dropped, so a replay of one of them would not be caught. Raise ReplayGuard:NonceCacheSize or lower ReplayGuard:TimestampTolerance.")]
    public static partial void CacheFull(ILogger logger, string app, int capacity);

    [LoggerMessage(EventId = 41, EventName = "ReplayGuardSharedStoreFailed", Level = LogLevel.Warning,
        Message = "DingTalk replay guard for {App}: the shared store failed; this request was checked against this replica's memory only.")]
    public static partial void SharedStoreFailed(ILogger logger, Exception exception, string app);
}
