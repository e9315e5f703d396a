using DingGen.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.OpenApi.Tests.Infrastructure;

/// <summary>A fake DingTalk on loopback and a <see cref="DingTalkClient"/> pointed at it, sharing one <see cref="FakeTimeProvider"/>.</summary>
public sealed class OpenApiFixture : IAsyncDisposable
{
    private OpenApiFixture(FakeDingTalkServer server, FakeTimeProvider time, HttpClient http, CountingHandler handler, FakeLogCollector logs, DingTalkClient client)
    {
        Server = server;
        Time = time;
        Http = http;
        Handler = handler;
        Logs = logs;
        Client = client;
    }

    public FakeDingTalkServer Server { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public CountingHandler Handler { get; }

    public FakeLogCollector Logs { get; }

    public DingTalkClient Client { get; }

    public static async Task<OpenApiFixture> StartAsync(Action<DingTalkClientOptions>? configure = null, Action<FakeDingTalkServerOptions>? configureServer = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        var serverOptions = new FakeDingTalkServerOptions
        {
            AppKey = OpenApiKeys.AppKey,
            AppSecret = OpenApiKeys.AppSecret,
            CorpId = OpenApiKeys.CorpId,
            TimeProvider = time,
        };
        configureServer?.Invoke(serverOptions);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = await FakeDingTalkServer.StartAsync(serverOptions, timeout.Token);
        var options = new DingTalkClientOptions
        {
            AppKey = OpenApiKeys.AppKey,
            AppSecret = OpenApiKeys.AppSecret,
            Token = OpenApiKeys.Token,
            AesKey = OpenApiKeys.AesKey,
            BaseAddress = server.BaseAddress,
            RetryBaseDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var handler = new CountingHandler(new SocketsHttpHandler { UseProxy = false });
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var logs = new FakeLogCollector();
        var logger = new FakeLogger<DingTalkClient>(logs);
        return new OpenApiFixture(server, time, http, handler, logs, new DingTalkClient(http, options, time, logger));
    }

    /// <summary>Another client over the same fake (its own token cache).</summary>
    public DingTalkClient NewClient(Action<DingTalkClientOptions>? configure = null)
    {
        var options = new DingTalkClientOptions
        {
            AppKey = OpenApiKeys.AppKey,
            AppSecret = OpenApiKeys.AppSecret,
            Token = OpenApiKeys.Token,
            AesKey = OpenApiKeys.AesKey,
            BaseAddress = Server.BaseAddress,
            RetryBaseDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return new DingTalkClient(Http, options, Time, new FakeLogger<DingTalkClient>(Logs));
    }

    /// <summary>Every log record as text, including structured values and exceptions.</summary>
    public string AllLogText() => global::DingGen.Tests.Shared.LogText.Of(Logs);

    /// <summary>The paths the fake answered, with the errcode (or HTTP status when no DingTalk body), e.g. <c>/gettoken:0</c>.</summary>
    public string[] RequestLog() => Server.Requests.Select(static r => r.Path + ":" + (r.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "HTTP" + r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Counts requests by path and can hold <c>gettoken</c> requests until released.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>When set, <c>gettoken</c> requests wait for it before they are sent.</summary>
    public TaskCompletionSource? TokenGate { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        if (TokenGate is { } gate && request.RequestUri!.AbsolutePath == "/gettoken")
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
