using DingGen;
using DingGen.Events;

namespace LoadHost;

/// <summary>The trivial handler under load: it decodes the typed payload and counts it.</summary>
public static class LoadHandlers
{
    private static long s_handled;

    /// <summary>Events handled since start.</summary>
    public static long Handled => Interlocked.Read(ref s_handled);

    [DingEvent(DingEventTypes.BpmsInstanceChange)]
    public static void OnInstanceChange(BpmsInstanceChange change)
    {
        if (change.ProcessInstanceId is not null)
        {
            Interlocked.Increment(ref s_handled);
        }
    }
}
