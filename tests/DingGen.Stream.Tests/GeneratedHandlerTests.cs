using System.Collections.Concurrent;
using DingGen.Events;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Stream.Tests;

/// <summary>What the generated handlers below saw.</summary>
public sealed class StaffJournal
{
    public ConcurrentQueue<string> Entries { get; } = new();
}

/// <summary>Plain <c>[DingEvent]</c> handlers: the generator emits their dispatcher and <c>AddDingEventHandlers()</c>.</summary>
public sealed class StaffHandlers(StaffJournal journal)
{
    [DingEvent(DingEventTypes.UserAddOrg)]
    [DingEvent(DingEventTypes.UserLeaveOrg)]
    public void OnStaffChange(DingUserChangeEvent e, DingEventContext context)
    {
        if (e.UserId?.Contains("fail-me") == true)
        {
            throw new InvalidOperationException("refused by the test");
        }

        journal.Entries.Enqueue($"{context.Channel} {context.EventType} {context.EventId} {context.CorpId}: {string.Join(",", e.UserId ?? [])}");
    }
}

public sealed class GeneratedHandlerTests
{
    [Fact(Timeout = 30_000)]
    public async Task Generated_handlers_receive_stream_events_with_typed_camel_case_payloads()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromSeconds(20)));
        var journal = new StaffJournal();
        await using var host = await StreamHost.StartAsync(gateway, dispatcher: null, services: s =>
        {
            s.AddSingleton(journal);
            s.AddDingEventHandlers();
        });

        var joined = await gateway.SendEventAsync("user_add_org", """{"timeStamp":"1685501863357","userId":["015xxxx227"]}""", eventId: "evt-join", corpId: "ding9f50");
        var failed = await gateway.SendEventAsync("user_leave_org", """{"timeStamp":"1685501863357","userId":["fail-me"]}""", eventId: "evt-fail");

        Assert.Equal("SUCCESS", (await gateway.WaitForAckAsync(joined, Wait)).Status);
        Assert.Equal("LATER", (await gateway.WaitForAckAsync(failed, Wait)).Status);
        Assert.Equal(["Stream user_add_org evt-join ding9f50: 015xxxx227"], journal.Entries);
        var record = host.Logs.GetSnapshot().Single(r => r.Id.Name == "StreamStarting");
        Assert.Contains(string.Join(", ", DingEventTags.All), record.Message, StringComparison.Ordinal);
    }

    private static TimeSpan Wait => StreamHost.Wait;
}
