using System.Net;
using System.Text;
using DingGen.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace DingGen.Hosting.Tests;

/// <summary>Every status of the endpoint, over real Kestrel on loopback.</summary>
public sealed class CallbackStatusTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task Handled_event_is_answered_with_encrypted_success_echoing_timestamp_and_nonce()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        var callback = simulator.CreateCallback(TestKeys.Event("bpms_instance_change", eventId: "evt-123", corpId: "dingcorp42"));

        using var request = simulator.CreateRequest(TestKeys.Path, callback);
        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.True(result.IsSuccessReply);
        // The reply carries its own timestamp and nonce (reused for a second, spec §1.8): its signature is checked over those.
        IndependentCrypto.AssertSuccessReply(result.Body, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);

        var context = Assert.Single(host.Dispatcher!.HandlerRuns);
        Assert.Same(host.Dispatcher.Tag("bpms_instance_change"), context.EventType);
        Assert.Equal("evt-123", context.EventId);
        Assert.Equal("dingcorp42", context.CorpId);
        Assert.Equal(DingDeliveryChannel.HttpPush, context.Channel);
        Assert.Null(context.AppName);
        Assert.NotEqual(default, context.ReceivedAt);
        Assert.NotNull(context.Services);
        Assert.Contains(TestKeys.PlaintextMarker, Encoding.UTF8.GetString(context.Payload.Span));
    }

    [Fact(Timeout = Timeout)]
    public async Task Unhandled_event_type_is_answered_with_success_and_runs_no_handler()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("chat_update_title"));

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        IndependentCrypto.AssertSuccessReply(result.Body, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        Assert.Empty(host.Dispatcher!.HandlerRuns);
        Assert.Equal("chat_update_title", Assert.Single(host.Dispatcher.Calls).EventType);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"EventType":"check_url"}""")]
    [InlineData("""{"EventType":"check_create_suite_url","Random":"brdkKLMW"}""")]
    [InlineData("""{"EventType":"check_update_suite_url","Random":"k2Jd8sQw","TestSuiteKey":"suiteabc"}""")]
    public async Task Url_validations_are_answered_with_success_without_dispatching(string payload)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, payload);

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        IndependentCrypto.AssertSuccessReply(result.Body, TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey);
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("signature", "timestamp")]
    [InlineData("msg_signature", "timestamp")]
    [InlineData("msg_signature", "timeStamp")]
    [InlineData("signature", "timeStamp")]
    public async Task Both_spellings_of_the_query_parameters_are_accepted(string signatureName, string timestampName)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = new Testing.DingTalkSimulator(TestKeys.Token, TestKeys.AesKey, TestKeys.AppKey)
        {
            SignatureParameterName = signatureName,
            TimestampParameterName = timestampName,
        };

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("user_add_org"));

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.True(result.IsSuccessReply);
        Assert.Single(host.Dispatcher!.HandlerRuns);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"encrypt":12}""")]
    [InlineData("""{"encrypt":"abc","encrypt":"abc"}""")]
    [InlineData("""{"encrypt":"abc"} trailing""")]
    [InlineData("""{"encrypt":"abc" """)]
    public async Task Malformed_body_is_400(string body)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        using var request = simulator.CreateRequest(TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.MalformedBody, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("signature")]
    [InlineData("timestamp")]
    [InlineData("nonce")]
    [InlineData("repeat-nonce")]
    [InlineData("repeat-signature")]
    [InlineData("empty-timestamp")]
    public async Task Missing_or_repeated_query_parameter_is_400(string change)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        using var request = simulator.CreateRequest(TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        var uri = request.RequestUri!.OriginalString;
        var (path, query) = (uri[..uri.IndexOf('?')], uri[(uri.IndexOf('?') + 1)..]);
        var parts = query.Split('&').ToList();
        switch (change)
        {
            case "repeat-nonce":
                parts.Add("nonce=abcdefgh");
                break;
            case "repeat-signature":
                parts.Add(parts.Single(p => p.StartsWith("signature=", StringComparison.Ordinal)));
                break;
            case "empty-timestamp":
                parts = parts.Select(p => p.StartsWith("timestamp=", StringComparison.Ordinal) ? "timestamp=" : p).ToList();
                break;
            default:
                parts.RemoveAll(p => p.StartsWith(change + "=", StringComparison.Ordinal));
                break;
        }

        request.RequestUri = new Uri(path + "?" + string.Join('&', parts), UriKind.Relative);

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.InvalidQuery, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("@@@@not*base64@@@@", 900008)]
    [InlineData("AAECAwQFBgcICQ==", 900008)] // 10 bytes: not a whole AES block
    [InlineData("", 900009)]
    public async Task Correctly_signed_but_malformed_ciphertext_is_400(string encrypt, int expectedCode)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        var timestamp = "1717034400123";
        var nonce = "bR4kWm9Z";
        var callback = new DingSealedMessage(IndependentCrypto.Sign(TestKeys.Token, timestamp, nonce, encrypt), timestamp, nonce, encrypt);
        using var request = simulator.CreateRequest(TestKeys.Path, callback);

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal(expectedCode, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("plain text, not JSON")]
    [InlineData("""{"NoEventType":true}""")]
    [InlineData("""{"EventType":42}""")]
    [InlineData("""["EventType"]""")]
    public async Task Verified_plaintext_that_is_not_an_event_is_400(string plaintext)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, plaintext);

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.InvalidPayload, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("flip")]
    [InlineData("upper")]
    [InlineData("other-token")]
    [InlineData("tampered-nonce")]
    public async Task Bad_signature_is_401(string change)
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = change == "other-token"
            ? host.Simulator(token: "someOtherToken")
            : host.Simulator();
        var callback = simulator.CreateCallback(TestKeys.Event("bpms_instance_change"));
        callback = change switch
        {
            "flip" => callback with { Signature = (callback.Signature[0] == 'a' ? "b" : "a") + callback.Signature[1..] },
            "upper" => callback with { Signature = callback.Signature.ToUpperInvariant() },
            "tampered-nonce" => callback with { Nonce = "zzzzzzzz" },
            _ => callback,
        };
        if (change == "upper" && callback.Signature.All(c => !char.IsLetter(c)))
        {
            return;
        }

        using var request = simulator.CreateRequest(TestKeys.Path, callback);
        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal(900006, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Fact(Timeout = Timeout)]
    public async Task Wrong_owner_key_is_401()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator(ownerKey: "dingsomeothercorp");

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal(900010, IndependentCrypto.ErrorCode(result.Body));
        Assert.False(result.IsSuccessReply);
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Fact(Timeout = Timeout)]
    public async Task Wrong_aes_key_is_rejected_without_dispatch()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator(aesKey: TestKeys.OtherAesKey);

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.True(result.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest);
        Assert.Empty(host.Dispatcher!.Calls);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_over_MaxBodyBytes_is_413_whether_or_not_Content_Length_is_sent(bool sendContentLength)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:MaxBodyBytes"] = "2048";
        await using var host = await CallbackHost.StartAsync(settings);
        var simulator = host.Simulator();
        var big = TestKeys.Event("bpms_instance_change").Replace("\"pi-1\"", "\"" + new string('x', 4096) + "\"", StringComparison.Ordinal);
        using var request = simulator.CreateRequest(TestKeys.Path, big);
        if (!sendContentLength)
        {
            var bytes = await request.Content!.ReadAsByteArrayAsync();
            request.Content = new StreamContent(new NonSeekableStream(bytes));
            request.Headers.TransferEncodingChunked = true;
        }

        var result = await simulator.SendAsync(host.Client, request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.BodyTooLarge, IndependentCrypto.ErrorCode(result.Body));
        Assert.Empty(host.Dispatcher!.Calls);

        // The process keeps serving.
        var ok = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
        Assert.True(ok.IsSuccessReply);
    }

    [Fact(Timeout = Timeout)]
    public async Task Body_just_under_the_limit_is_accepted()
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:MaxBodyBytes"] = "2048";
        await using var host = await CallbackHost.StartAsync(settings);
        var simulator = host.Simulator();

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change").Replace("\"pi-1\"", "\"" + new string('x', 1000) + "\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Chunked_body_without_Content_Length_is_read_whole_up_to_the_limit()
    {
        await using var host = await CallbackHost.StartAsync();
        var simulator = host.Simulator();
        var payload = TestKeys.Event("bpms_instance_change").Replace("\"pi-1\"", "\"" + new string('y', 30_000) + "\"", StringComparison.Ordinal);
        using var request = simulator.CreateRequest(TestKeys.Path, payload);
        var bytes = await request.Content!.ReadAsByteArrayAsync();
        request.Content = new StreamContent(new NonSeekableStream(bytes), bufferSize: 1000);
        request.Headers.TransferEncodingChunked = true;

        var result = await simulator.SendAsync(host.Client, request);

        Assert.True(result.IsSuccessReply);
        Assert.Equal(payload, Encoding.UTF8.GetString(Assert.Single(host.Dispatcher!.HandlerRuns).Payload.Span));
    }

    [Fact(Timeout = Timeout)]
    public async Task Failed_handler_is_500_and_logged_with_the_handler_name()
    {
        var dispatcher = TestDispatcher.Default();
        dispatcher.Handler = static _ => throw new InvalidOperationException("approval store unavailable");
        await using var host = await CallbackHost.StartAsync(dispatcher: dispatcher);
        var simulator = host.Simulator();

        var result = await simulator.PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.Equal(HttpStatusCode.InternalServerError, result.StatusCode);
        Assert.Equal((int)DingCallbackErrorCode.HandlerFailed, IndependentCrypto.ErrorCode(result.Body));
        Assert.False(result.IsSuccessReply);
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains(TestDispatcher.DefaultHandlerName, error.Message, StringComparison.Ordinal);
        Assert.Contains("bpms_instance_change", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact(Timeout = Timeout)]
    public async Task Only_post_is_mapped()
    {
        await using var host = await CallbackHost.StartAsync();

        using var response = await host.Client.GetAsync(TestKeys.Path + "?signature=a&timestamp=1&nonce=n");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(host.Dispatcher!.Calls);
    }

    /// <summary>A stream without a length, so HttpClient sends the body chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
