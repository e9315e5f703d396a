using System.Text;
using DingGen.Inbox.Sqlite;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using DingGen.Tests.Shared;

namespace DingGen.Stream.Tests;

/// <summary>Stream mode with the durable inbox: an event is ACKed only once it is committed, and the inbox worker runs the handlers.</summary>
public sealed class StreamInboxTests : IDisposable
{
    private const string Token = "streamInboxToken42";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string Marker = "STREAM-PLAINTEXT-MARKER-9c1d";
    private const string Data = $$"""{"timeStamp":"1685501863357","userId":["{{Marker}}"]}""";
    private static readonly TimeSpan Wait = StreamHost.Wait;

    private readonly string _directory = Directory.CreateTempSubdirectory("dinggen-stream-inbox-").FullName;

    private string DatabasePath => Path.Combine(_directory, "inbox.db");

    [Fact(Timeout = 30_000)]
    public async Task A_stored_event_is_acknowledged_success_handled_by_the_worker_once_and_never_written_in_plaintext()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var handled = new TaskCompletionSource<DingEventContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new StreamTestDispatcher("user_add_org")
        {
            Handler = (context, _) =>
            {
                handled.TrySetResult(context);
                return Task.CompletedTask;
            },
        };
        var host = await StartAsync(gateway, dispatcher, static inbox => inbox);
        try
        {
            await DeliverTwiceAsync(gateway, host, handled.Task);
        }
        finally
        {
            // Stopping drains the worker: a duplicate wrongly enqueued would have run by now.
            await host.DisposeAsync();
        }

        Assert.Single(dispatcher.Runs);
        Assert.Equal(Data, dispatcher.Runs.Single().Payload);
        foreach (var file in Directory.GetFiles(_directory))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(Marker, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private static async Task DeliverTwiceAsync(FakeStreamGateway gateway, StreamHost host, Task<DingEventContext> handled)
    {
        var data = Data;
        var first = await gateway.SendEventAsync("user_add_org", data, eventId: "evt-inbox-1", corpId: "ding-corp-1");
        Assert.Equal("SUCCESS", (await gateway.WaitForAckAsync(first, Wait)).Status);

        var context = await handled.WaitAsync(Wait);
        Assert.Equal(DingDeliveryChannel.Stream, context.Channel);
        Assert.Equal("evt-inbox-1", context.EventId);
        Assert.Equal("ding-corp-1", context.CorpId);

        // DingTalk delivers the same event again (e.g. an ACK lost with a dropped connection): answered, not run again.
        var again = await gateway.SendEventAsync("user_add_org", data, eventId: "evt-inbox-1", corpId: "ding-corp-1");
        Assert.Equal("SUCCESS", (await gateway.WaitForAckAsync(again, Wait)).Status);
        Assert.True(host.HasLog("StreamEventStored"));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_event_the_inbox_cannot_store_is_acknowledged_later_and_no_handler_runs()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions(redelivery: TimeSpan.FromMinutes(5)));
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StartAsync(gateway, dispatcher, static inbox => new RefusingInbox(inbox));

        var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""", eventId: "evt-inbox-2");

        Assert.Equal("LATER", (await gateway.WaitForAckAsync(messageId, Wait)).Status);
        Assert.True(host.HasLog("StreamInboxWriteFailed"));
        Assert.Empty(dispatcher.Runs);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<StreamHost> StartAsync(FakeStreamGateway gateway, StreamTestDispatcher dispatcher, Func<IDingInbox, IDingInbox> wrap)
    {
        var settings = StreamHost.Settings(gateway);
        settings["DingGen:Token"] = Token;
        settings["DingGen:AesKey"] = AesKey;
        var path = DatabasePath;
        var host = StreamHost.Build(settings, dispatcher, app: builder => builder.UseInbox(_ => wrap(new SqliteDingInbox(path))));
        using var timeout = new CancellationTokenSource(Wait);
        await host.StartAsync(timeout.Token);
        return StreamHost.FromStarted(host, dispatcher);
    }

    /// <summary>An inbox whose disk is gone: every write fails, everything else works.</summary>
    private sealed class RefusingInbox(IDingInbox inner) : DelegatingInbox(inner)
    {
        public override ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<DingInboxAddResult>(new IOException("disk I/O error"));
    }
}
