namespace DingGen;

/// <summary>
/// Entries the intake stored already leased to this process's worker (<see cref="IDingInboxLeasedAdd"/>), on their way to it in
/// memory. The worker offers room (<see cref="SetRoom"/>) only while it has no backlog in the store (its last claim came back
/// short), and only as much as a claim batch would have queued, so a handed-over entry never overtakes older entries in the store,
/// and once the worker falls behind the intake stores entries unleased for the worker to claim in batches as before.
/// </summary>
/// <remarks>
/// At most <see cref="Room"/> entries are reserved (being written) or waiting for the worker; beyond that the intake stores entries
/// unleased. A write reserved while there was room is handed over even if the room is gone meanwhile; only once the worker has
/// stopped (<see cref="Close"/>) does a hand-over fail, and the intake gives that entry back.
/// </remarks>
internal sealed class DingInboxHandoff
{
    private readonly Lock _gate = new();
    private readonly Queue<LeasedEntry> _ready = new();
    private readonly DingInboxSignal _signal = new();
    private int _room;
    private bool _closed;
    private int _reserved;

    /// <summary>How many more entries may be reserved or waiting: room in the worker's local queue, 0 while it has a backlog.</summary>
    internal int Room
    {
        get
        {
            lock (_gate)
            {
                return _closed ? 0 : _room;
            }
        }
    }

    /// <summary>Entries reserved or waiting for the worker (tests read it).</summary>
    internal int Reserved
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>
    /// The worker: <paramref name="room"/> entries may be handed over (a claim batch less what its local queue holds), or none.
    /// Ignored once <see cref="Close"/> was called.
    /// </summary>
    public void SetRoom(int room)
    {
        lock (_gate)
        {
            _room = Math.Max(room, 0);
        }
    }

    /// <summary>The intake, before a write: reserves room for one entry. <see langword="false"/> when closed or full (store it unleased).</summary>
    public bool TryReserve()
    {
        lock (_gate)
        {
            if (_closed || _reserved >= _room)
            {
                return false;
            }

            _reserved++;
            return true;
        }
    }

    /// <summary>The intake: the reserved write stored nothing (a duplicate, or it failed).</summary>
    public void Unreserve()
    {
        lock (_gate)
        {
            _reserved--;
        }
    }

    /// <summary>
    /// The intake, after the reserved write stored <paramref name="record"/> leased at <paramref name="leasedAt"/>: hands it to the
    /// worker. <see langword="false"/> when the worker has stopped (<see cref="Close"/>) meanwhile: the caller gives the lease back.
    /// </summary>
    public bool TryPost(DingInboxRecord record, DateTimeOffset leasedAt)
    {
        lock (_gate)
        {
            if (_closed)
            {
                _reserved--;
                return false;
            }

            _ready.Enqueue(new LeasedEntry(record, leasedAt));
        }

        _signal.Notify();
        return true;
    }

    /// <summary>The worker: takes the next entry handed over, if any (it takes one slot of the room).</summary>
    public bool TryTake(out LeasedEntry entry)
    {
        lock (_gate)
        {
            if (!_ready.TryDequeue(out entry))
            {
                return false;
            }

            _reserved--;
            _room = Math.Max(_room - 1, 0);
            return true;
        }
    }

    /// <summary>The worker, stopping: accepts nothing more and returns the entries handed over but not taken (to give them back).</summary>
    public List<LeasedEntry> Close()
    {
        lock (_gate)
        {
            _closed = true;
            _room = 0;
            var left = new List<LeasedEntry>(_ready);
            _reserved -= _ready.Count;
            _ready.Clear();
            return left;
        }
    }

    /// <summary>Completes when an entry was handed over since the last <see cref="TryConsumeSignal"/>.</summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    /// <summary>Consumes the signal <see cref="WaitAsync"/> completed on.</summary>
    public bool TryConsumeSignal() => _signal.TryConsume();

    /// <summary>An entry stored leased to this worker, and the time of its lease.</summary>
    internal readonly record struct LeasedEntry(DingInboxRecord Record, DateTimeOffset LeasedAt);
}
