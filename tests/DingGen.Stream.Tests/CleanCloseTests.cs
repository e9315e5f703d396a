using System.Net.WebSockets;
using System.Text.Json;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;

namespace DingGen.Stream.Tests;

/// <summary>The gateway closes a connection cleanly: the client answers with its own close frame, then reconnects.</summary>
public sealed class CleanCloseTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task A_close_frame_from_the_gateway_is_answered_with_the_clients_own_then_the_client_reconnects()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var dispatcher = new StreamTestDispatcher("user_add_org");
        await using var host = await StreamHost.StartAsync(gateway, dispatcher);
        await gateway.WaitForConnectionsAsync(1, Wait);

        await gateway.CloseConnectionsAsync();
        await gateway.WaitForConnectionClosedAsync(1, Wait);
        await gateway.WaitForConnectionsAsync(2, Wait);

        var closed = gateway.Connections[0];
        Assert.True(closed.ClosedByGateway);
        Assert.True(closed.ClientAnsweredClose, "the client dropped the connection instead of answering the close frame (the gateway sees 1006)");
        Assert.False(closed.ClosedByClient);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.CloseStatus);

        var after = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""");
        Assert.Equal(2, (await gateway.WaitForAckAsync(after, "SUCCESS", Wait)).ConnectionId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_frame_carries_the_connections_id_in_its_headers()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Address, "/v1.0/gateway/connections/open"))
        {
            Content = new StringContent($$"""{"clientId":"{{StreamHost.AppKey}}","clientSecret":"{{StreamHost.AppSecret}}","subscriptions":[{"type":"SYSTEM","topic":"*"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        using var ticket = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var socket = new ClientWebSocket();
        var endpoint = ticket.RootElement.GetProperty("endpoint").GetString();
        await socket.ConnectAsync(new Uri($"{endpoint}?ticket={Uri.EscapeDataString(ticket.RootElement.GetProperty("ticket").GetString()!)}"), CancellationToken.None);
        await gateway.WaitForConnectionsAsync(1, Wait);

        await gateway.SendPingAsync();
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Wait);

        using var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        Assert.Equal(gateway.Connections[0].ConnectionId, frame.RootElement.GetProperty("headers").GetProperty("connectionId").GetString());
    }
}

/// <summary>The session's event workers: at most MaxConcurrentEvents handlers at once, every event acknowledged in the end.</summary>
public sealed class ConcurrencyTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task No_more_than_MaxConcurrentEvents_handlers_run_at_once_and_the_rest_wait_their_turn()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var peak = 0;
        var started = 0;
        var dispatcher = new StreamTestDispatcher("user_add_org")
        {
            Handler = async (_, _) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                Interlocked.Increment(ref started);
                try
                {
                    await release.Task;
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            },
        };
        await using var host = await StreamHost.StartAsync(gateway, dispatcher, configure: o => o.MaxConcurrentEvents = 2);

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await gateway.SendEventAsync("user_add_org", $$"""{"userId":["u{{i}}"]}"""));
        }

        await WaitUntilAsync(() => Volatile.Read(ref started) == 2);

        release.SetResult();
        foreach (var id in ids)
        {
            Assert.Equal("SUCCESS", (await gateway.WaitForAckAsync(id, "SUCCESS", Wait)).Status);
        }

        Assert.Equal(2, peak);
        Assert.Equal(6, dispatcher.Runs.Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
