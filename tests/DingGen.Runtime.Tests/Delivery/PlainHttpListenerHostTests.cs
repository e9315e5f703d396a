using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DingGen.Runtime.Tests.Dispatch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Runtime.Tests.Delivery;

/// <summary>
/// DingTalk served without ASP.NET Core: a plain <see cref="HttpListener"/> on loopback and <see cref="DingCallbackProcessor"/>, the
/// dozen lines any other host (an Azure Function, a test) needs. This test project has no ASP.NET Core reference at all.
/// </summary>
public sealed class PlainHttpListenerHostTests
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string AppKey = "dingzq4bkl7mxn0ofa2c";
    private const string ChatTitle = """{"EventType":"chat_update_title","chatId":"chat5e1f","title":"项目协作群","timeStamp":1717036600400,"eventId":"evt-title-1","CorpId":"dingcorp0001"}""";
    private const string ChatDisband = """{"EventType":"chat_disband","chatId":"chat5e1f","eventId":"evt-disband-1","CorpId":"dingcorp0001"}""";

    [Fact(Timeout = 30_000)]
    public async Task A_host_without_AspNetCore_answers_handshakes_events_and_forgeries_like_DingTalk_expects()
    {
        await using var host = await ListenerHost.StartAsync();
        var crypto = new DingCallbackCrypto(Token, AesKey, AppKey);

        var handshake = await host.PostAsync(crypto.Seal("""{"EventType":"check_url"}"""u8, TimeProvider.System));
        var handled = await host.PostAsync(crypto.Seal(Encoding.UTF8.GetBytes(ChatTitle), TimeProvider.System));
        var failed = await host.PostAsync(crypto.Seal(Encoding.UTF8.GetBytes(ChatDisband), TimeProvider.System));
        var sealedEvent = crypto.Seal(Encoding.UTF8.GetBytes(ChatTitle), TimeProvider.System);
        var forged = await host.PostAsync(sealedEvent with { Signature = new string('0', 40) });
        var tooLarge = await host.PostRawAsync("?signature=a&timestamp=1&nonce=n", new string('x', 70_000));
        var noQuery = await host.PostRawAsync(string.Empty, sealedEvent.ToCallbackBodyJson());

        Assert.Equal(HttpStatusCode.OK, handshake.Status);
        Assert.Equal("success", OpenReply(crypto, handshake.Body));
        Assert.Equal(HttpStatusCode.OK, handled.Status);
        Assert.Equal("success", OpenReply(crypto, handled.Body));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal(900105, ErrorCode(failed.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal(900006, ErrorCode(forged.Body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal(900103, ErrorCode(tooLarge.Body));
        Assert.Equal(HttpStatusCode.BadRequest, noQuery.Status);
        Assert.Equal(900101, ErrorCode(noQuery.Body));

        // Only the two verified events reached handlers (every handler of each), with the event ids DingTalk sent.
        var calls = host.Services.GetRequiredService<Recorder>().Calls;
        Assert.Equal(["AfterThrow", "First", "Second", "Throws"], calls.Select(c => c.Handler).Order(StringComparer.Ordinal));
        Assert.Equal("evt-title-1", calls.Single(c => c.Handler == "First").Context!.EventId);
        Assert.Equal(DingDeliveryChannel.HttpPush, calls.Single(c => c.Handler == "First").Context!.Channel);
        Assert.Equal("evt-disband-1", calls.Single(c => c.Handler == "Throws").Context!.EventId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_handshake_of_the_catalogue_is_answered_without_reaching_a_handler()
    {
        await using var host = await ListenerHost.StartAsync();
        var crypto = new DingCallbackCrypto(Token, AesKey, AppKey);

        foreach (var tag in DingHandshakeEvents.All)
        {
            var reply = await host.PostAsync(crypto.Seal(Encoding.UTF8.GetBytes($$"""{"EventType":"{{tag}}","Random":"brdkKLMW"}"""), TimeProvider.System));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal("success", OpenReply(crypto, reply.Body));
        }

        Assert.Contains(DingEventTypes.CheckSuiteLicenseCode, DingHandshakeEvents.All);
        Assert.Empty(host.Services.GetRequiredService<Recorder>().Calls);
    }

    private static string OpenReply(DingCallbackCrypto crypto, string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var reply = new DingSealedMessage(
            root.GetProperty("msg_signature").GetString()!,
            root.GetProperty("timeStamp").GetString()!,
            root.GetProperty("nonce").GetString()!,
            root.GetProperty("encrypt").GetString()!);
        Assert.Equal(DingCryptoErrorCode.None, crypto.Open(reply, out var plaintext));
        return Encoding.UTF8.GetString(plaintext!);
    }

    private static int ErrorCode(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("errcode").GetInt32();
    }

    /// <summary>The whole host: a listener loop around <see cref="DingCallbackProcessor"/>.</summary>
    private sealed class ListenerHost : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _client = new();
        private Task _loop = Task.CompletedTask;

        private ListenerHost(ServiceProvider services, string prefix)
        {
            Services = services;
            Prefix = prefix;
        }

        public ServiceProvider Services { get; }

        public string Prefix { get; }

        public static async Task<ListenerHost> StartAsync()
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DingGen:Token"] = Token,
                ["DingGen:AesKey"] = AesKey,
                ["DingGen:AppKey"] = AppKey,
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<Recorder>();
            services.AddScoped<PerEventService>();
            services.AddKeyedSingleton("utc", new KeyedClock("utc-clock"));
            services.AddDingGen(configuration.GetSection("DingGen"));
            services.AddDingEventHandlers();
            services.AddDingJsonContext(TestJsonContext.Default);
            var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

            var host = new ListenerHost(provider, $"http://127.0.0.1:{FreePort()}/dingtalk/");
            host._listener.Prefixes.Add(host.Prefix);
            host._listener.Start();
            var processor = new DingCallbackProcessor(provider);
            host._loop = host.ServeAsync(processor);
            await Task.Yield();
            return host;
        }

        public async Task<(HttpStatusCode Status, string Body)> PostAsync(DingSealedMessage callback) =>
            await PostRawAsync(
                $"?signature={callback.Signature}&timestamp={callback.Timestamp}&nonce={callback.Nonce}",
                callback.ToCallbackBodyJson());

        public async Task<(HttpStatusCode Status, string Body)> PostRawAsync(string query, string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _client.PostAsync(Prefix + "callback" + query, content);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ConfigureAwait(false);
            _listener.Close();
            _client.Dispose();
            await Services.DisposeAsync();
            _stop.Dispose();
        }

        // The adapter a host writes: query pairs and a capped body in, status and JSON out.
        private async Task ServeAsync(DingCallbackProcessor processor)
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext http;
                try
                {
                    http = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                var query = http.Request.QueryString;
                var pairs = query.AllKeys.Where(k => k is not null).SelectMany(k => (query.GetValues(k) ?? []).Select(v => new KeyValuePair<string, string?>(k!, v)));
                var body = new byte[processor.MaxBodyBytes + 1];
                var length = 0;
                int read;
                while (length < body.Length && (read = await http.Request.InputStream.ReadAsync(body.AsMemory(length))) > 0)
                {
                    length += read;
                }

                var response = await processor.ProcessAsync(DingCallbackRequest.FromQuery(pairs, body.AsMemory(0, length)));
                http.Response.StatusCode = response.StatusCode;
                http.Response.ContentType = DingCallbackResponse.ContentType;
                await http.Response.OutputStream.WriteAsync(response.Body);
                http.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
