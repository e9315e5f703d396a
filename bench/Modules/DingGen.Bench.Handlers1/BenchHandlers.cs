// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using DingGen.Bench.Payloads;

namespace DingGen.Bench.Handlers1;

/// <summary>The 1 event type(s) of this benchmark module, each handled by one method of an instance class resolved from DI.</summary>
/// <param name="sink">Where the handlers leave what they saw, so the work cannot be elided.</param>
public sealed partial class BenchHandlers(BenchSink sink)
{
    /// <summary>Handles <c>bpms_instance_change</c>.</summary>
    [DingEvent("bpms_instance_change")]
    public Task OnBpmsInstanceChange([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>
        sink.Accept(payload, context, cancellationToken);
}
