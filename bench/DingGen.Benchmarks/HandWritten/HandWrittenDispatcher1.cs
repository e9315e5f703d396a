// Written by bench/Modules/generate.py; rerun it rather than editing by hand.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DingGen.Bench.Payloads;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Benchmarks.HandWritten;

/// <summary>What a careful developer would write by hand for the 1-event module: a string switch, one DI scope per event, the same <see cref="JsonTypeInfo"/>.</summary>
internal sealed class HandWrittenDispatcher1(JsonTypeInfo<ApprovalEvent> payloadInfo) : IHandWrittenDispatcher
{
    public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        switch (context.EventType)
        {
            case "bpms_instance_change":
                return RunAsync(context, static (handlers, payload, ctx) => handlers.OnBpmsInstanceChange(payload, ctx, ctx.CancellationToken));
            default:
                return new ValueTask<DingDispatchResult>(DingDispatchResult.NotHandled);
        }
    }

    private async ValueTask<DingDispatchResult> RunAsync(DingEventContext context, Func<DingGen.Bench.Handlers1.BenchHandlers, ApprovalEvent, DingEventContext, Task> handler)
    {
        ApprovalEvent payload;
        try
        {
            payload = JsonSerializer.Deserialize(context.Payload.Span, payloadInfo) ?? throw new JsonException("null payload");
        }
        catch (JsonException exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure("payload", context.EventType, exception)]);
        }

        await using var scope = context.Services.CreateAsyncScope();
        try
        {
            await handler(scope.ServiceProvider.GetRequiredService<DingGen.Bench.Handlers1.BenchHandlers>(), payload, context).ConfigureAwait(false);
            return DingDispatchResult.Handled;
        }
        catch (Exception exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure("DingGen.Bench.Handlers1.BenchHandlers", context.EventType, exception)]);
        }
    }
}
