using System.Text.Json;

namespace DingGen.Testing;

public sealed partial class FakeStreamGateway
{
    /// <summary>The topic of robot messages: <c>/v1.0/im/bot/messages/get</c>.</summary>
    public const string RobotMessageTopic = "/v1.0/im/bot/messages/get";

    /// <summary>The topic of interactive card callbacks: <c>/v1.0/card/instances/callback</c>.</summary>
    public const string CardCallbackTopic = "/v1.0/card/instances/callback";

    private static readonly TimeSpan DefaultConnectionWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends a robot message (see <see cref="DingRobotMessageBuilder"/>) as a <c>CALLBACK</c> frame on <see cref="RobotMessageTopic"/>
    /// to the newest live connection, once: DingTalk does not redeliver robot messages, so one lost on a dropped connection is lost.
    /// Returns the frame's <c>messageId</c>; read the host's answer with <see cref="WaitForCallbackResponseAsync"/>.
    /// </summary>
    /// <param name="messageJson">The message JSON; sent as the string <c>data</c>.</param>
    /// <param name="connectionWait">How long to wait for a live connection; 10 s when <see langword="null"/>.</param>
    /// <exception cref="TimeoutException">No connection was live within <paramref name="connectionWait"/>.</exception>
    public Task<string> SendRobotMessageAsync(string messageJson, TimeSpan? connectionWait = null) =>
        SendCallbackOnceAsync(RobotMessageTopic, messageJson, connectionWait);

    /// <summary>
    /// Sends a card callback (see <see cref="DingRobotMessageBuilder.CardCallback"/>) as a <c>CALLBACK</c> frame on
    /// <see cref="CardCallbackTopic"/> to the newest live connection, once. Returns the frame's <c>messageId</c>.
    /// </summary>
    /// <param name="callbackJson">The callback JSON; sent as the string <c>data</c>.</param>
    /// <param name="connectionWait">How long to wait for a live connection; 10 s when <see langword="null"/>.</param>
    /// <exception cref="TimeoutException">No connection was live within <paramref name="connectionWait"/>.</exception>
    public Task<string> SendCardCallbackAsync(string callbackJson, TimeSpan? connectionWait = null) =>
        SendCallbackOnceAsync(CardCallbackTopic, callbackJson, connectionWait);

    /// <summary>
    /// Waits for the acknowledgement of the <c>CALLBACK</c> frame <paramref name="messageId"/> and returns its <c>response</c>
    /// (<see cref="FakeStreamAck.Response"/>): the reply or card update the host answered, or <see langword="null"/> when it answered
    /// none.
    /// </summary>
    /// <exception cref="TimeoutException">No acknowledgement arrived within <paramref name="timeout"/>.</exception>
    public async Task<string?> WaitForCallbackResponseAsync(string messageId, TimeSpan timeout)
    {
        var ack = await WaitForAckAsync(messageId, timeout).ConfigureAwait(false);
        return ack.Response;
    }

    private async Task<string> SendCallbackOnceAsync(string topic, string json, TimeSpan? connectionWait)
    {
        ArgumentNullException.ThrowIfNull(json);
        using (JsonDocument.Parse(json))
        {
            // Checked now: a test's broken JSON is its own error, not the host's.
        }

        Connection? live = null;
        await WaitUntilAsync(() =>
        {
            live = _connections.LastOrDefault(static c => c.IsLive);
            return live is not null;
        }, connectionWait ?? DefaultConnectionWait, "a live connection").ConfigureAwait(false);
        var messageId = NewMessageId();
        await live!.TrySendAsync(Frame("CALLBACK", topic, messageId, json, null)).ConfigureAwait(false);
        return messageId;
    }
}
