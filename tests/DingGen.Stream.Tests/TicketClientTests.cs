using System.Net;
using System.Text;

namespace DingGen.Stream.Tests;

public sealed class TicketClientTests
{
    private static readonly Uri Gateway = new("https://gateway.test");

    [Fact(Timeout = 10_000)]
    public async Task A_json_reply_gives_the_endpoint_with_the_escaped_ticket_and_the_request_asks_for_json()
    {
        var handler = new StubHandler(HttpStatusCode.OK, "application/json", """{"endpoint":"wss://wss-open-connection.dingtalk.com:443/connect","ticket":"a b+c"}""");
        var ticket = await new DingStreamTicketClient(new HttpClient(handler)).OpenAsync(Gateway, "dingapp", "s3cret", CancellationToken.None);

        Assert.Equal("wss://wss-open-connection.dingtalk.com/connect?ticket=a%20b%2Bc", ticket.ConnectUri.AbsoluteUri);
        Assert.DoesNotContain("ticket", ticket.EndpointForLog, StringComparison.Ordinal);
        Assert.Equal("https://gateway.test/v1.0/gateway/connections/open", handler.Request!.RequestUri!.AbsoluteUri);
        Assert.Contains(handler.Request.Headers.Accept, a => a.MediaType == "application/json");
        Assert.Equal($$"""{"clientId":"dingapp","clientSecret":"s3cret","subscriptions":[{"type":"EVENT","topic":"*"}],"ua":"{{DingStreamTicketClient.UserAgent}}"}""", handler.Body);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(HttpStatusCode.OK, "application/xml", "<r><endpoint>wss://x/connect</endpoint><ticket>t</ticket></r>", "instead of JSON")]
    [InlineData(HttpStatusCode.OK, "text/html", "<html>proxy login</html>", "not JSON")]
    [InlineData(HttpStatusCode.OK, "application/json", """{"endpoint":"wss://x/connect"}""", "no ticket")]
    [InlineData(HttpStatusCode.OK, "application/json", """{"ticket":"t"}""", "no endpoint")]
    [InlineData(HttpStatusCode.OK, "application/json", """{"endpoint":"https://x/connect","ticket":"t"}""", "not a ws:// or wss:// URL")]
    [InlineData(HttpStatusCode.InternalServerError, "application/json", """{"code":"ServiceUnavailable"}""", "HTTP 500, code ServiceUnavailable")]
    public async Task Unusable_replies_fail_with_a_reason_safe_to_log(HttpStatusCode status, string mediaType, string body, string reason)
    {
        var client = new DingStreamTicketClient(new HttpClient(new StubHandler(status, mediaType, body)));

        var error = await Assert.ThrowsAsync<DingStreamTicketException>(() => client.OpenAsync(Gateway, "dingapp", "s3cret", CancellationToken.None));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(error.CredentialsRejected);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(HttpStatusCode.Unauthorized, """{"code":"InvalidAuthentication","message":"bad"}""")]
    [InlineData(HttpStatusCode.Forbidden, "")]
    [InlineData(HttpStatusCode.BadRequest, """{"code":"InvalidClientSecret"}""")]
    public async Task Refused_credentials_are_recognised(HttpStatusCode status, string body)
    {
        var client = new DingStreamTicketClient(new HttpClient(new StubHandler(status, "application/json", body)));

        var error = await Assert.ThrowsAsync<DingStreamTicketException>(() => client.OpenAsync(Gateway, "dingapp", "s3cret", CancellationToken.None));

        Assert.True(error.CredentialsRejected);
        Assert.Equal((int)status, error.StatusCode);
    }

    private sealed class StubHandler(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        }
    }
}
