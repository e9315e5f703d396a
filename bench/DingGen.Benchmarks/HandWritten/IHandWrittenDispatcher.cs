namespace DingGen.Benchmarks.HandWritten;

/// <summary>The hand-written dispatchers of the benchmark modules.</summary>
internal interface IHandWrittenDispatcher
{
    ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context);
}
