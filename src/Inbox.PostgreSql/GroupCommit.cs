namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// Group commit: concurrent callers' items are written together in one statement (one round trip, one WAL flush) by whichever
/// caller holds one of the writer slots, and each caller returns only after the statement holding its item committed. Up to
/// <c>maxWriters</c> batches are in flight at once, each on its own pooled connection: while one waits for its commit the
/// next one is already sent, so the server's CPU and its WAL flush overlap instead of alternating. Under load the batches grow
/// instead of the queue.
/// </summary>
/// <remarks>
/// Concurrent batches must not deadlock each other in the database: the write function takes its row locks in one order
/// (for example by sorting on the unique key), whatever the order of the items.
/// </remarks>
internal sealed class GroupCommit<TItem, TResult>
{
    /// <summary>Batches in flight at once by default: two overlap a commit's flush with the next statement on this project's machines.</summary>
    public const int DefaultMaxWriters = 2;

    private readonly Func<TItem[], Task<TResult[]>> _write;
    private readonly SemaphoreSlim _writers;
    private readonly List<Pending> _pending = [];
    private readonly int _maxBatch;

    /// <param name="write">Writes a batch and returns one result per item, in order; must not depend on any caller's cancellation.</param>
    /// <param name="maxBatch">The most items one statement carries.</param>
    /// <param name="maxWriters">The most batches written at once.</param>
    public GroupCommit(Func<TItem[], Task<TResult[]>> write, int maxBatch, int maxWriters = DefaultMaxWriters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWriters, 1);
        _write = write;
        _maxBatch = maxBatch;
        _writers = new SemaphoreSlim(maxWriters, maxWriters);
    }

    /// <summary>The number of statements written so far (tests read it to see items grouped).</summary>
    internal int BatchesWritten => Volatile.Read(ref _batchesWritten);

    private int _batchesWritten;

    public async ValueTask<TResult> RunAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        lock (_pending)
        {
            _pending.Add(pending);
        }

        while (!IsTaken(pending))
        {
            await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another writer may have taken this item into its batch while this caller waited for a slot.
                if (!IsTaken(pending))
                {
                    await WriteBatchAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _writers.Release();
            }
        }

        // Taken into a batch (this caller's or another's): wait for that statement, not for a slot.
        return await pending.Result.Task.ConfigureAwait(false);
    }

    private bool IsTaken(Pending pending)
    {
        lock (_pending)
        {
            return pending.Taken;
        }
    }

    private async Task WriteBatchAsync()
    {
        Pending[] batch;
        lock (_pending)
        {
            var count = Math.Min(_pending.Count, _maxBatch);
            batch = [.. _pending.GetRange(0, count)];
            _pending.RemoveRange(0, count);
            foreach (var pending in batch)
            {
                pending.Taken = true;
            }
        }

        if (batch.Length == 0)
        {
            return;
        }

        Interlocked.Increment(ref _batchesWritten);
        try
        {
            var items = new TItem[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                items[i] = batch[i].Item;
            }

            var results = await _write(items).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            // The statement rolled back: every caller of the batch sees the failure.
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        /// <summary>Set (under the list's lock) when a writer took the item into its batch.</summary>
        public bool Taken { get; set; }

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
