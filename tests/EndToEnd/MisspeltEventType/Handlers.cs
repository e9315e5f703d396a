using DingGen;
using DingGen.Events;

namespace MisspeltEventType;

internal sealed class ApprovalHandlers
{
    // "instanse": the build must fail with DING001 and suggest bpms_instance_change.
    [DingEvent("bpms_instanse_change")]
    public Task OnInstanceChange(BpmsInstanceChange e) => Task.CompletedTask;
}
