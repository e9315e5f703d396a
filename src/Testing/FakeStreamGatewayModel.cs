namespace DingGen.Testing;

/// <summary>Settings of a <see cref="FakeStreamGateway"/>.</summary>
public sealed class FakeStreamGatewayOptions
{
    /// <summary>The client id (the app's AppKey) the ticket endpoint accepts.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret (the app's AppSecret) the ticket endpoint accepts.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>
    /// How long the gateway waits for an acknowledgement before redelivering an event, and how long after a <c>LATER</c>
    /// acknowledgement it redelivers (DingTalk: about 60 s). Default 2 s.
    /// </summary>
    public TimeSpan RedeliveryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after sending <c>disconnect</c> the gateway closes a connection the client has not closed itself (DingTalk: about 10 s).</summary>
    public TimeSpan DisconnectGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a ticket may be used (DingTalk: 90 s). Each ticket opens one connection.</summary>
    public TimeSpan TicketLifetime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The clock of ticket lifetimes, redelivery and disconnect delays; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>An upstream frame the gateway received in answer to one of its messages.</summary>
/// <param name="MessageId">The echoed <c>headers.messageId</c>.</param>
/// <param name="ConnectionId">The connection it arrived on (<see cref="FakeStreamConnection.Id"/>).</param>
/// <param name="Code">The <c>code</c> member (200 for success).</param>
/// <param name="Status">For event acknowledgements, the <c>status</c> inside <c>data</c> (<c>SUCCESS</c>, <c>LATER</c>); otherwise <see langword="null"/>.</param>
/// <param name="Data">The <c>data</c> string as sent.</param>
/// <param name="Sequence">The gateway's event counter when it arrived (orders acks against connection opens and closes).</param>
public sealed record FakeStreamAck(string MessageId, int ConnectionId, int Code, string? Status, string? Data, long Sequence)
{
    /// <summary>
    /// For a <c>CALLBACK</c> acknowledgement, the <c>response</c> inside <c>data</c> (<c>{"response":…}</c>) as JSON text (a string
    /// response as its value); <see langword="null"/> when absent, JSON <c>null</c>, or <c>data</c> is not a JSON object.
    /// </summary>
    public string? Response
    {
        get
        {
            if (Data is null || !Data.StartsWith('{'))
            {
                return null;
            }

            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(Data);
                if (!document.RootElement.TryGetProperty("response", out var response))
                {
                    return null;
                }

                return response.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => null,
                    System.Text.Json.JsonValueKind.String => response.GetString(),
                    _ => response.GetRawText(),
                };
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>A ticket request the gateway received (the secret is not kept).</summary>
/// <param name="ClientId">The <c>clientId</c> sent.</param>
/// <param name="Subscriptions">The subscriptions as <c>TYPE:topic</c>.</param>
/// <param name="UserAgent">The <c>ua</c> member.</param>
/// <param name="AcceptedJson">Whether the request asked for JSON (<c>Accept: application/json</c>); otherwise the gateway answered XML.</param>
/// <param name="Granted">Whether a ticket was issued.</param>
public sealed record FakeStreamTicketRequest(string? ClientId, IReadOnlyList<string> Subscriptions, string? UserAgent, bool AcceptedJson, bool Granted);

/// <summary>A WebSocket connection a client opened to the gateway.</summary>
public sealed class FakeStreamConnection
{
    internal FakeStreamConnection(int id, long openedAt)
    {
        Id = id;
        OpenedAt = openedAt;
    }

    /// <summary>1 for the first connection, then 2, …</summary>
    public int Id { get; }

    /// <summary>The gateway's event counter when the connection opened.</summary>
    public long OpenedAt { get; }

    /// <summary>The gateway's event counter when it closed; <see langword="null"/> while open.</summary>
    public long? ClosedAt { get; internal set; }

    /// <summary>Whether the client closed it with a close frame (not a reset, not the gateway).</summary>
    public bool ClosedByClient { get; internal set; }

    /// <summary>The close status the client sent, if it closed.</summary>
    public System.Net.WebSockets.WebSocketCloseStatus? CloseStatus { get; internal set; }

    /// <summary>The <c>headers.connectionId</c> the gateway writes into every frame it sends on this connection.</summary>
    public string ConnectionId => "fake-connection-" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the gateway closed it with a close frame (<see cref="FakeStreamGateway.CloseConnectionsAsync"/>, or the end of a <c>disconnect</c> grace).</summary>
    public bool ClosedByGateway { get; internal set; }

    /// <summary>
    /// Whether the client answered the gateway's close frame with its own, completing the closing handshake; a client that
    /// just drops the connection leaves the gateway with an abnormal close (1006).
    /// </summary>
    public bool ClientAnsweredClose { get; internal set; }

    /// <summary>Whether the gateway sent it <c>disconnect</c>.</summary>
    public bool DisconnectSent { get; internal set; }

    /// <summary>Whether <see cref="FakeStreamGateway.Stall"/> froze it.</summary>
    public bool Stalled { get; internal set; }

    /// <summary>Whether it is still open.</summary>
    public bool IsOpen => ClosedAt is null;
}
