using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DingGen.Testing;

/// <summary>
/// Plays DingTalk's HTTP robot and card pushes in tests of a DingGen host: signs each request as DingTalk does (headers
/// <c>timestamp</c>, Unix milliseconds from the simulator's clock, and <c>sign</c> = Base64(HMAC-SHA256(AppSecret, timestamp + "\n" +
/// AppSecret)), <see cref="DingRobotSignature.Sign"/>), posts the robot message or card callback JSON, and returns the host's answer.
/// </summary>
/// <example>
/// <code>
/// var dingtalk = new DingTalkRobotSimulator(appSecret, time);
/// var json = new DingRobotMessageBuilder(time).InGroup("cid1").Text("status 42");
/// var response = await dingtalk.PostRobotMessageAsync(client, "/dingtalk/robot", json);
/// Assert.Equal(HttpStatusCode.OK, response.StatusCode);
/// </code>
/// </example>
/// <remarks>Thread-safe. Build the JSON with <see cref="DingRobotMessageBuilder"/>.</remarks>
public sealed class DingTalkRobotSimulator
{
    private readonly string _appSecret;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a simulator for one DingTalk app.</summary>
    /// <param name="appSecret">The app's AppSecret (the host's <c>DingGen:AppSecret</c>).</param>
    /// <param name="timeProvider">The clock the <c>timestamp</c> header is read from; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public DingTalkRobotSimulator(string appSecret, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        _appSecret = appSecret;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Builds the signed <c>POST</c> of <paramref name="json"/> to <paramref name="path"/> without sending it, so a test can alter it
    /// (a stale timestamp, a wrong sign) first.
    /// </summary>
    /// <param name="path">The path relative to the client's base address, or an absolute URL.</param>
    /// <param name="json">The robot message or card callback JSON.</param>
    public HttpRequestMessage CreateRequest(string path, string json)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(json);
        var (timestamp, sign) = DingRobotSignature.Sign(_appSecret, _timeProvider.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.RelativeOrAbsolute))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("sign", sign);
        return request;
    }

    /// <summary>Signs and posts a robot message (see <see cref="DingRobotMessageBuilder"/>) and returns the host's answer.</summary>
    /// <param name="client">The client to post with (for example <c>WebApplicationFactory.CreateClient()</c>).</param>
    /// <param name="path">The path of <c>MapDingRobot</c>, relative to the client's base address, or an absolute URL.</param>
    /// <param name="messageJson">The message JSON.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<DingTalkRobotResponse> PostRobotMessageAsync(HttpClient client, string path, string messageJson, CancellationToken cancellationToken = default) =>
        SendAsync(client, CreateRequest(path, messageJson), cancellationToken);

    /// <summary>Signs and posts a card callback (see <see cref="DingRobotMessageBuilder.CardCallback"/>) and returns the host's answer.</summary>
    /// <param name="client">The client to post with.</param>
    /// <param name="path">The path of <c>MapDingCardCallback</c>, relative to the client's base address, or an absolute URL.</param>
    /// <param name="callbackJson">The callback JSON.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<DingTalkRobotResponse> PostCardCallbackAsync(HttpClient client, string path, string callbackJson, CancellationToken cancellationToken = default) =>
        SendAsync(client, CreateRequest(path, callbackJson), cancellationToken);

    /// <summary>Sends a request built by <see cref="CreateRequest"/> (possibly altered) and returns the host's answer.</summary>
    public async Task<DingTalkRobotResponse> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new DingTalkRobotResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
    }
}

/// <summary>The host's answer to a robot message or card callback posted by <see cref="DingTalkRobotSimulator"/>.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The body as text (the reply or card update JSON, or an error).</param>
/// <param name="ContentType">The media type of the body, when the host sent one.</param>
public sealed record DingTalkRobotResponse(HttpStatusCode StatusCode, string Body, string? ContentType);
