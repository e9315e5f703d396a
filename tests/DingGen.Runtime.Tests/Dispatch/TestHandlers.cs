using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Runtime.Tests.Dispatch;

internal sealed record Recorded(string Handler, object? Payload, DingEventContext? Context, CancellationToken Token, object? Service);

/// <summary>Everything the test handlers saw, in order.</summary>
internal sealed class Recorder
{
    private readonly List<Recorded> _calls = new();

    public IReadOnlyList<Recorded> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToArray();
            }
        }
    }

    public void Add(Recorded call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}

/// <summary>A scoped service: one instance per event.</summary>
internal sealed class PerEventService
{
    public Guid Id { get; } = Guid.NewGuid();
}

internal interface IOptionalService
{
}

internal sealed class KeyedClock
{
    public KeyedClock(string name) => Name = name;

    public string Name { get; }
}

internal sealed record ChatPayload(string? ChatId, string? Title, long TimeStamp);

internal sealed record NewThing(string? ThingId);

[JsonSerializable(typeof(ChatPayload))]
[JsonSerializable(typeof(NewThing))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}

internal sealed class ChatHandlers(Recorder recorder, PerEventService perEvent)
{
    [DingEvent("chat_update_title")]
    public Task First([DingPayload] ChatPayload payload, DingEventContext context, CancellationToken token)
    {
        recorder.Add(new Recorded("First", payload, context, token, perEvent));
        return Task.CompletedTask;
    }

    [DingEvent("chat_update_title")]
    public ValueTask Second(CancellationToken token, PerEventService sameScope, IOptionalService? missing, [FromKeyedServices("utc")] KeyedClock clock, JsonElement raw)
    {
        recorder.Add(new Recorded("Second", raw.GetProperty("title").GetString(), null, token, (sameScope, missing, clock.Name)));
        return ValueTask.CompletedTask;
    }

    [DingEvent("chat_disband")]
    public void Throws(DingEventContext context)
    {
        recorder.Add(new Recorded("Throws", null, context, default, null));
        throw new InvalidOperationException("handler failed on purpose");
    }
}

internal static class StaticHandlers
{
    [DingEvent("chat_disband")]
    public static async Task AfterThrow(Recorder recorder, DingEventContext context)
    {
        await Task.Yield();
        recorder.Add(new Recorded("AfterThrow", null, context, default, null));
    }

    [DingEvent("new_thing_happened")]
    public static void OnCustom(NewThing thing, Recorder recorder)
    {
        recorder.Add(new Recorded("OnCustom", thing, null, default, null));
    }
}
