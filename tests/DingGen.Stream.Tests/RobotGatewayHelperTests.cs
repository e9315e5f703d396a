using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;

namespace DingGen.Stream.Tests;

/// <summary>
/// The fake gateway's robot helpers, seen from a bare WebSocket client that speaks the stream protocol by hand: robot messages and
/// card callbacks go out as <c>CALLBACK</c> frames on their topics, to one connection, and the ACK's <c>response</c> is read back.
/// </summary>
public sealed class RobotGatewayHelperTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    [Fact(Timeout = 30_000)]
    public async Task A_robot_message_and_a_card_callback_arrive_as_CALLBACK_frames_and_the_ack_response_is_read_back()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        using var socket = await ConnectAsync(gateway);
        var message = new DingRobotMessageBuilder().InGroup("cidHelpdesk").WithMsgId("msg-1").Text("status 42");
        var callback = DingRobotMessageBuilder.CardCallback("card-42", "user42", ["remind"]);

        var messageId = await gateway.SendRobotMessageAsync(message);
        var frame = await ReceiveAsync(socket);
        Assert.Equal("CALLBACK", frame.GetProperty("type").GetString());
        Assert.Equal(FakeStreamGateway.RobotMessageTopic, frame.GetProperty("headers").GetProperty("topic").GetString());
        Assert.Equal(messageId, frame.GetProperty("headers").GetProperty("messageId").GetString());
        Assert.Equal(message, frame.GetProperty("data").GetString());
        await AckAsync(socket, messageId, """{"response":{"msgtype":"text","text":{"content":"审批 42：已通过"}}}""");
        Assert.Equal("""{"msgtype":"text","text":{"content":"审批 42：已通过"}}""", await gateway.WaitForCallbackResponseAsync(messageId, Wait));

        var callbackId = await gateway.SendCardCallbackAsync(callback);
        var cardFrame = await ReceiveAsync(socket);
        Assert.Equal(FakeStreamGateway.CardCallbackTopic, cardFrame.GetProperty("headers").GetProperty("topic").GetString());
        Assert.Equal(callback, cardFrame.GetProperty("data").GetString());
        await AckAsync(socket, callbackId, """{"response":null}""");
        Assert.Null(await gateway.WaitForCallbackResponseAsync(callbackId, Wait));
        Assert.Equal(200, (await gateway.WaitForAckAsync(callbackId, Wait)).Code);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_live_connection_sending_fails_after_the_wait_and_broken_JSON_is_refused()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        await Assert.ThrowsAsync<TimeoutException>(() => gateway.SendRobotMessageAsync("{}", TimeSpan.FromMilliseconds(200)));
        await Assert.ThrowsAnyAsync<JsonException>(() => gateway.SendCardCallbackAsync("not json"));
    }

    [Fact]
    public void The_ack_response_is_read_from_data()
    {
        static FakeStreamAck Ack(string? data) => new("m", 1, 200, null, data, 1);
        Assert.Equal("""{"a":1}""", Ack("""{"response":{"a":1}}""").Response);
        Assert.Equal("""{"a":1}""", Ack("""{"response":"{\"a\":1}"}""").Response);
        Assert.Null(Ack("""{"response":null}""").Response);
        Assert.Null(Ack("""{"status":"SUCCESS"}""").Response);
        Assert.Null(Ack("not json").Response);
        Assert.Null(Ack(null).Response);
    }

    private static async Task<ClientWebSocket> ConnectAsync(FakeStreamGateway gateway)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Address, "/v1.0/gateway/connections/open"))
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["clientId"] = StreamHost.AppKey,
                ["clientSecret"] = StreamHost.AppSecret,
                ["ua"] = "test",
                ["subscriptions"] = new[] { new Dictionary<string, string> { ["type"] = "CALLBACK", ["topic"] = FakeStreamGateway.RobotMessageTopic } },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var ticket = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var endpoint = ticket.RootElement.GetProperty("endpoint").GetString();
        var value = ticket.RootElement.GetProperty("ticket").GetString();
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(new Uri(endpoint + "?ticket=" + Uri.EscapeDataString(value!)), cts.Token);
        await gateway.WaitForConnectionsAsync(1, Wait);
        return socket;
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), cts.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    private static async Task AckAsync(ClientWebSocket socket, string messageId, string data)
    {
        var ack = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["code"] = 200,
            ["headers"] = new Dictionary<string, string> { ["contentType"] = "application/json", ["messageId"] = messageId },
            ["message"] = "OK",
            ["data"] = data,
        });
        using var cts = new CancellationTokenSource(Wait);
        await socket.SendAsync(Encoding.UTF8.GetBytes(ack), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
    }
}
