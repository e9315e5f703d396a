using DingGen;

namespace StreamWorker;

/// <summary>Writes one line per handled event to standard output (the worker's visible result; logs go to standard error).</summary>
public sealed class EventLog
{
    private readonly Lock _gate = new();

    /// <summary>Writes <c>event &lt;type&gt; &lt;id&gt; via &lt;channel&gt;: &lt;text&gt;</c>.</summary>
    public void Write(DingEventContext context, string text)
    {
        lock (_gate)
        {
            Console.Out.WriteLine($"event {context.EventType} {context.EventId} via {context.Channel}: {text}");
            Console.Out.Flush();
        }
    }
}
