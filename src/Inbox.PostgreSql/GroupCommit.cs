namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// Group commit: concurrent callers' items are written together in one statement (one round trip, one WAL flush) by one of at
/// most <c>maxWriters</c> writers, and each caller returns only after the statement holding its item committed. Up to
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
    private readonly int _maxWriters;
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
        _maxWriters = maxWriters;
    }

    /// <summary>The number of statements written so far (tests read it to see items grouped).</summary>
    internal int BatchesWritten => Volatile.Read(ref _batchesWritten);

    private int _batchesWritten;
    private int _activeWriters;

    /// <summary>
    /// Queues <paramref name="item"/> and returns its result once the statement holding it committed. The caller never waits for a
    /// writer slot: when fewer than <c>maxWriters</c> writers run, it starts one, and each writer keeps taking whatever queued
    /// while its last statement ran until nothing is left. So a committed statement wakes exactly its own callers. Cancelling stops
    /// the wait, not the write: an item already queued may still be written.
    /// </summary>
    public ValueTask<TResult> RunAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item);
        lock (_pending)
        {
            _pending.Add(pending);
            if (_activeWriters < _maxWriters)
            {
                _activeWriters++;
                _ = Task.Run(WriteLoopAsync);
            }
        }

        return new ValueTask<TResult>(pending.Result.Task.WaitAsync(cancellationToken));
    }

    /// <summary>A writer: writes batches of the queued items until the queue is empty, then ends. Never throws.</summary>
    private async Task WriteLoopAsync()
    {
        while (true)
        {
            Pending[] batch;
            lock (_pending)
            {
                if (_pending.Count == 0)
                {
                    _activeWriters--;
                    return;
                }

                var count = Math.Min(_pending.Count, _maxBatch);
                batch = [.. _pending.GetRange(0, count)];
                _pending.RemoveRange(0, count);
            }

            await WriteBatchAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task WriteBatchAsync(Pending[] batch)
    {
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

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
