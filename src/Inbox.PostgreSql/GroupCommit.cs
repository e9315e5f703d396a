namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// Group commit: concurrent callers' items are written by whichever caller holds the gate, together in one statement (one round trip,
/// one WAL flush), and each caller returns only after the statement holding its item committed. While one batch is written the next
/// one gathers, so under load the batch grows instead of the queue.
/// </summary>
internal sealed class GroupCommit<TItem, TResult>
{
    private readonly Func<TItem[], Task<TResult[]>> _write;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Pending> _pending = [];
    private readonly int _maxBatch;

    /// <param name="write">Writes a batch and returns one result per item, in order; must not depend on any caller's cancellation.</param>
    /// <param name="maxBatch">The most items one statement carries.</param>
    public GroupCommit(Func<TItem[], Task<TResult[]>> write, int maxBatch)
    {
        _write = write;
        _maxBatch = maxBatch;
    }

    public async ValueTask<TResult> RunAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        lock (_pending)
        {
            _pending.Add(pending);
        }

        while (!pending.Result.Task.IsCompleted)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // An earlier holder of the gate may already have written this item with its own batch.
                if (!pending.Result.Task.IsCompleted)
                {
                    await WriteBatchAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        return await pending.Result.Task.ConfigureAwait(false);
    }

    private async Task WriteBatchAsync()
    {
        Pending[] batch;
        lock (_pending)
        {
            var count = Math.Min(_pending.Count, _maxBatch);
            batch = [.. _pending.GetRange(0, count)];
            _pending.RemoveRange(0, count);
        }

        if (batch.Length == 0)
        {
            return;
        }

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
