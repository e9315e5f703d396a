using System.Diagnostics.CodeAnalysis;

namespace DingGen;

/// <summary>
/// Plaintexts the intake already verified and decrypted, handed to this process's worker so that it need not open the stored
/// envelope a second time (SHA-1 and AES again, about a fifth of the worker's CPU per entry). Memory only: the inbox keeps only
/// the sealed message, and a worker that finds nothing here (another replica stored the entry, the process restarted, or the entry
/// was evicted) opens the envelope as before.
/// </summary>
/// <remarks>
/// An entry is found by its app and the sealed message's signature, and is used only when the record's dedup key, timestamp and
/// nonce match too, so a record is never dispatched with another message's plaintext. Bounded by bytes in two generations: when
/// the newer one holds half of <see cref="MaxBytes"/> the older one is dropped whole, so entries nobody takes (claimed by another
/// replica) cost at most that much and nothing per operation.
/// </remarks>
internal sealed class DingInboxOpenedMessages
{
    /// <summary>The most plaintext bytes kept (both generations): 16 MiB, tens of thousands of typical events.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly long _generationBytes;
    private Dictionary<(string App, string Signature), Opened> _current = new();
    private Dictionary<(string App, string Signature), Opened> _previous = new();
    private long _currentBytes;

    public DingInboxOpenedMessages()
        : this(MaxBytes)
    {
    }

    /// <param name="maxBytes">The most plaintext bytes kept (tests use small bounds).</param>
    internal DingInboxOpenedMessages(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        _generationBytes = maxBytes / 2;
    }

    /// <summary>The number of plaintexts held (tests read it).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _current.Count + _previous.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="plaintext"/>, the verified, decrypted content of <paramref name="entry"/>'s envelope.</summary>
    /// <returns>Whether it was kept (not when the same message is already held, or it alone exceeds a generation).</returns>
    public bool Put(DingInboxEntry entry, byte[] plaintext)
    {
        if (plaintext.Length > _generationBytes)
        {
            return false;
        }

        lock (_gate)
        {
            if (_currentBytes + plaintext.Length > _generationBytes)
            {
                _previous = _current;
                _current = new Dictionary<(string, string), Opened>(_previous.Count);
                _currentBytes = 0;
            }

            var key = (entry.AppName, entry.Envelope.Signature);
            if (_previous.ContainsKey(key) || !_current.TryAdd(key, new Opened(entry.DedupKey, entry.Envelope.Timestamp, entry.Envelope.Nonce, plaintext)))
            {
                return false;
            }

            _currentBytes += plaintext.Length;
            return true;
        }
    }

    /// <summary>Forgets the plaintext of <paramref name="entry"/> (it was not stored: a duplicate, or the write failed).</summary>
    public void Remove(DingInboxEntry entry)
    {
        var key = (entry.AppName, entry.Envelope.Signature);
        lock (_gate)
        {
            if (!_current.Remove(key))
            {
                _previous.Remove(key);
            }
        }
    }

    /// <summary>Takes the plaintext of <paramref name="entry"/> when this process stored it and still holds it.</summary>
    public bool TryTake(DingInboxEntry entry, [NotNullWhen(true)] out byte[]? plaintext)
    {
        var key = (entry.AppName, entry.Envelope.Signature);
        Opened opened;
        lock (_gate)
        {
            if (!_current.Remove(key, out opened) && !_previous.Remove(key, out opened))
            {
                plaintext = null;
                return false;
            }
        }

        if (!string.Equals(opened.DedupKey, entry.DedupKey, StringComparison.Ordinal)
            || !string.Equals(opened.Timestamp, entry.Envelope.Timestamp, StringComparison.Ordinal)
            || !string.Equals(opened.Nonce, entry.Envelope.Nonce, StringComparison.Ordinal))
        {
            plaintext = null;
            return false;
        }

        plaintext = opened.Plaintext;
        return true;
    }

    private readonly record struct Opened(string DedupKey, string Timestamp, string Nonce, byte[] Plaintext);
}
