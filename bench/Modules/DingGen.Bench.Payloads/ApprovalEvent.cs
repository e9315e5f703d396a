using System.Text.Json.Serialization;

namespace DingGen.Bench.Payloads;

/// <summary>An approval-like event payload, as a user's own record taken with <c>[DingPayload]</c>.</summary>
public sealed record ApprovalEvent(
    string EventType,
    string ProcessInstanceId,
    string CorpId,
    long CreateTime,
    long? FinishTime,
    string Title,
    string Type,
    string? Result,
    string StaffId,
    string ProcessCode);

/// <summary>The user's JSON metadata for <see cref="ApprovalEvent"/>, registered with <c>AddDingJsonContext</c>.</summary>
[JsonSerializable(typeof(ApprovalEvent))]
public sealed partial class BenchJsonContext : JsonSerializerContext
{
}

/// <summary>Where benchmark handlers leave what they saw (a singleton), so no handler is a no-op the JIT could remove.</summary>
public sealed class BenchSink
{
    /// <summary>The last payload handled.</summary>
    public ApprovalEvent? LastPayload { get; private set; }

    /// <summary>How many events were handled.</summary>
    public long Count { get; private set; }

    /// <summary>Records the event; completes synchronously, like most handlers that enqueue work.</summary>
    public Task Accept(ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LastPayload = payload;
        Count += context.EventType.Length > 0 ? 1 : 0;
        return Task.CompletedTask;
    }
}
