using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DingGen.Testing;

/// <summary>
/// A fake of DingTalk's server API (<c>oapi.dingtalk.com</c>) on an in-process Kestrel server on 127.0.0.1: <c>gettoken</c>,
/// the <c>call_back</c> endpoints and <c>topapi/processinstance/get</c>, with DingTalk's validation and error codes; and of the
/// robot side (<c>api.dingtalk.com</c> and session webhooks, see <see cref="CreateSessionWebhook"/> and <see cref="RobotReplies"/>).
/// Registering or updating a callback performs the real <c>check_url</c> handshake against the given URL, encrypted with
/// the <b>CorpId</b> as owner key, and fails with 71012/71009 as DingTalk does. Point a <c>DingTalkClient</c> at
/// <see cref="BaseAddress"/>.
/// </summary>
/// <example>
/// <code>
/// await using var dingtalk = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = "k", AppSecret = "s", CorpId = "dingcorp" });
/// var client = new DingTalkClient(new HttpClient(), new DingTalkClientOptions { AppKey = "k", AppSecret = "s", BaseAddress = dingtalk.BaseAddress });
/// await client.RegisterCallbackAsync(new DingCallbackRegistration(hostUrl, ["user_add_org"], token, aesKey));
/// Assert.Equal(hostUrl, dingtalk.Registration!.Url);
/// </code>
/// </example>
/// <remarks>
/// State is inspectable (<see cref="Registration"/>, <see cref="Requests"/>, <see cref="TokenRequests"/>) and controllable
/// (<see cref="FailNext"/>, <see cref="FailNextWithHttpStatus"/>, <see cref="ExpireTokens"/>, <see cref="EnqueueFailedEvent(string, DateTimeOffset, string)"/>,
/// <see cref="AddProcessInstance"/>). Thread-safe. Entries returned by <c>get_call_back_failed_result</c> are removed from the
/// fake's queue unless <see cref="FakeDingTalkServerOptions.FailedListConsumedOnRead"/> is off (DingTalk does not document whether it does).
/// </remarks>
public sealed partial class FakeDingTalkServer : IAsyncDisposable
{
    /// <summary>The errcode the fake answers to <c>processinstance/get</c> for an id it does not hold (the fake's choice; DingTalk's is undocumented).</summary>
    public const int ProcessInstanceNotFoundCode = 400;

    /// <summary>The most entries one <c>get_call_back_failed_result</c> call returns, as DingTalk.</summary>
    public const int FailedResultPageSize = 200;

    private readonly FakeDingTalkServerOptions _options;
    private readonly HashSet<string> _knownTags;
    private readonly HttpClient _checkUrlClient;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(int? ErrorCode, string? ErrorMessage, int? Status)>> _injected = new(StringComparer.Ordinal);
    private readonly List<string> _failedEvents = [];
    private readonly Dictionary<string, string> _processInstances = new(StringComparer.Ordinal);
    private readonly List<FakeDingTalkRequest> _requests = [];
    private readonly List<FakeCheckUrlAttempt> _checkUrlAttempts = [];
    private WebApplication? _app;
    private DingCallbackRegistration? _registration;
    private int _tokenRequests;

    private FakeDingTalkServer(FakeDingTalkServerOptions options)
    {
        _options = options;
        _knownTags = new HashSet<string>(FakeDingTalkKnownTags.All, StringComparer.Ordinal);
        _knownTags.UnionWith(options.AdditionalKnownTags);
        _checkUrlClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = options.CheckUrlTimeout };
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    /// <summary>The event tags DingTalk knows, as far as the fake is concerned: every non-handshake <see cref="DingEventTypes"/> constant.</summary>
    public static IReadOnlyCollection<string> DefaultKnownTags => FakeDingTalkKnownTags.All;

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:54321/</c>: the <c>BaseAddress</c> of the client under test.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The settings the server runs with.</summary>
    public FakeDingTalkServerOptions Options => _options;

    /// <summary>The registered callback, or <see langword="null"/>.</summary>
    public DingCallbackRegistration? Registration
    {
        get
        {
            lock (_lock)
            {
                return _registration;
            }
        }
    }

    /// <summary>How many <c>gettoken</c> requests arrived (successful or not).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Every request answered so far, in order: method, path and the errcode or HTTP status answered.</summary>
    public IReadOnlyList<FakeDingTalkRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Every <c>check_url</c> handshake performed by register/update, in order.</summary>
    public IReadOnlyList<FakeCheckUrlAttempt> CheckUrlAttempts
    {
        get
        {
            lock (_lock)
            {
                return _checkUrlAttempts.ToArray();
            }
        }
    }

    /// <summary>How many failed deliveries wait to be pulled.</summary>
    public int PendingFailedEvents
    {
        get
        {
            lock (_lock)
            {
                return _failedEvents.Count;
            }
        }
    }

    /// <summary>Starts a fake DingTalk on 127.0.0.1 with a free port.</summary>
    /// <param name="options">The app, enterprise and clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeDingTalkServer> StartAsync(FakeDingTalkServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.AppKey, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.AppSecret, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.CorpId, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TokenLifetime must be positive.");
        }

        var server = new FakeDingTalkServer(options);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(server.HandleAsync);
            server._app = app;
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            server.BaseAddress = new Uri(app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Makes the next request to <paramref name="path"/> (e.g. <c>/call_back/register_call_back</c>) answer <paramref name="errorCode"/>, before any other check.</summary>
    public void FailNext(string path, int errorCode, string errorMessage)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Inject(path, (errorCode, errorMessage ?? string.Empty, null));
    }

    /// <summary>Makes the next request to <paramref name="path"/> answer HTTP <paramref name="statusCode"/> with no DingTalk body (a transient failure for 5xx/429).</summary>
    public void FailNextWithHttpStatus(string path, HttpStatusCode statusCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Inject(path, (null, null, (int)statusCode));
    }

    /// <summary>Forgets every access token issued so far: API calls with them are answered 40014 (invalid token; 88 with sub_code 40014 on the topapi).</summary>
    public void RevokeTokens()
    {
        lock (_lock)
        {
            _tokens.Clear();
        }
    }

    /// <summary>Expires every access token issued so far: API calls with them are answered 42001, and <c>gettoken</c> issues a new one.</summary>
    public void ExpireTokens()
    {
        lock (_lock)
        {
            foreach (var token in _tokens.Keys.ToArray())
            {
                _tokens[token] = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Sets the registration directly, without a handshake (e.g. to start a test from "already registered").</summary>
    public void SetRegistration(DingCallbackRegistration? registration)
    {
        lock (_lock)
        {
            _registration = registration;
        }
    }

    /// <summary>
    /// Queues a failed delivery in DingTalk's documented shape: <c>{"call_back_tag":tag,"event_time":ms,tag:data}</c>, where
    /// <paramref name="dataJson"/> is the JSON of the member named after the tag (e.g. <c>{"corpid":"ding…","userid":["u1"]}</c>).
    /// </summary>
    public void EnqueueFailedEvent(string tag, DateTimeOffset eventTime, string dataJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(dataJson);
        using (JsonDocument.Parse(dataJson))
        {
            // Validates the JSON now rather than answering a broken list later.
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("call_back_tag", tag);
            writer.WriteNumber("event_time", eventTime.ToUnixTimeMilliseconds());
            writer.WritePropertyName(tag);
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }

        EnqueueFailedEventJson(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Empties the failed-delivery list (for <see cref="FakeDingTalkServerOptions.FailedListConsumedOnRead"/> off).</summary>
    public void ClearFailedEvents()
    {
        lock (_lock)
        {
            _failedEvents.Clear();
        }
    }

    /// <summary>Queues a failed-list entry given as raw JSON, for shapes seen in the field (e.g. the data member as a Java-map string).</summary>
    public void EnqueueFailedEventJson(string entryJson)
    {
        ArgumentNullException.ThrowIfNull(entryJson);
        using (JsonDocument.Parse(entryJson))
        {
        }

        lock (_lock)
        {
            _failedEvents.Add(entryJson);
        }
    }

    /// <summary>Makes <c>processinstance/get</c> answer <paramref name="processInstanceJson"/> (the <c>process_instance</c> object) for <paramref name="processInstanceId"/>.</summary>
    public void AddProcessInstance(string processInstanceId, string processInstanceJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(processInstanceId);
        ArgumentNullException.ThrowIfNull(processInstanceJson);
        using (var document = JsonDocument.Parse(processInstanceJson))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The process instance must be a JSON object.", nameof(processInstanceJson));
            }
        }

        lock (_lock)
        {
            _processInstances[processInstanceId] = processInstanceJson;
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _checkUrlClient.Dispose();
    }

    private void Inject(string path, (int? ErrorCode, string? ErrorMessage, int? Status) failure)
    {
        path = "/" + path.TrimStart('/');
        lock (_lock)
        {
            if (!_injected.TryGetValue(path, out var queue))
            {
                _injected[path] = queue = new Queue<(int?, string?, int?)>();
            }

            queue.Enqueue(failure);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        if (path == "/gettoken")
        {
            Interlocked.Increment(ref _tokenRequests);
        }

        if (IsRobotApiPath(path))
        {
            await HandleRobotApiAsync(context, method, path).ConfigureAwait(false);
            return;
        }

        var (hasInjected, injected) = TakeInjected(path);

        if (hasInjected)
        {
            if (injected.Status is { } status)
            {
                Record(method, path, null, status);
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("injected failure", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await WriteErrorAsync(context, method, path, injected.ErrorCode!.Value, injected.ErrorMessage!).ConfigureAwait(false);
            return;
        }

        var (allowed, handler) = path switch
        {
            "/gettoken" => (HttpMethods.IsGet(method), (Func<HttpContext, Task<FakeAnswer>>)HandleGetTokenAsync),
            "/call_back/register_call_back" => (HttpMethods.IsPost(method), c => HandleRegisterAsync(c, update: false)),
            "/call_back/update_call_back" => (HttpMethods.IsPost(method), c => HandleRegisterAsync(c, update: true)),
            "/call_back/get_call_back" => (HttpMethods.IsGet(method), WithToken(HandleGetCallback)),
            "/call_back/delete_call_back" => (HttpMethods.IsGet(method), WithToken(HandleDeleteCallback)),
            "/call_back/get_call_back_failed_result" => (HttpMethods.IsGet(method), WithToken(HandleFailedResult)),
            "/topapi/processinstance/get" => (HttpMethods.IsPost(method), HandleProcessInstanceAsync),
            SessionWebhookPath => (HttpMethods.IsPost(method), HandleSessionWebhookAsync),
            _ => (false, null),
        };

        if (handler is null)
        {
            Record(method, path, null, StatusCodes.Status404NotFound);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!allowed)
        {
            Record(method, path, null, StatusCodes.Status405MethodNotAllowed);
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var answer = await handler(context).ConfigureAwait(false);
        Record(method, path, answer.ErrorCode, StatusCodes.Status200OK);
        await WriteJsonAsync(context, answer.Json).ConfigureAwait(false);
    }

    private Func<HttpContext, Task<FakeAnswer>> WithToken(Func<HttpContext, FakeAnswer> handler) =>
        context => Task.FromResult(CheckToken(context) ?? handler(context));

    private Task<FakeAnswer> HandleGetTokenAsync(HttpContext context)
    {
        var appKey = context.Request.Query["appkey"].ToString();
        var appSecret = context.Request.Query["appsecret"].ToString();
        if (appKey.Length == 0)
        {
            return Task.FromResult(FakeAnswer.Error(40035, "缺少参数 corpid or appkey"));
        }

        if (!string.Equals(appKey, _options.AppKey, StringComparison.Ordinal) || !string.Equals(appSecret, _options.AppSecret, StringComparison.Ordinal))
        {
            return Task.FromResult(FakeAnswer.Error(40096, "不合法的appKey或appSecret"));
        }

        var now = _options.TimeProvider.GetUtcNow();
        string token;
        lock (_lock)
        {
            // As DingTalk: within its validity the same token is returned and its lifetime extended.
            token = _tokens.Where(t => t.Value > now).Select(static t => t.Key).FirstOrDefault() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _tokens[token] = now + _options.TokenLifetime;
        }

        var json = Json(writer =>
        {
            writer.WriteNumber("errcode", 0);
            writer.WriteString("access_token", token);
            writer.WriteString("errmsg", "ok");
            writer.WriteNumber("expires_in", (long)_options.TokenLifetime.TotalSeconds);
        });
        return Task.FromResult(new FakeAnswer(0, json));
    }

    private FakeAnswer? CheckToken(HttpContext context)
    {
        var token = context.Request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            return FakeAnswer.Error(40014, "不合法的access_token");
        }

        lock (_lock)
        {
            if (!_tokens.TryGetValue(token, out var expiresAt))
            {
                return FakeAnswer.Error(40014, "不合法的access_token");
            }

            if (_options.TimeProvider.GetUtcNow() >= expiresAt)
            {
                return FakeAnswer.Error(42001, "access_token超时");
            }
        }

        return null;
    }

    private async Task<FakeAnswer> HandleRegisterAsync(HttpContext context, bool update)
    {
        if (CheckToken(context) is { } tokenError)
        {
            return tokenError;
        }

        var (registration, problem) = await ReadRegistrationAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        lock (_lock)
        {
            if (!update && _registration is not null)
            {
                return FakeAnswer.Error(71006, "回调地址已经存在");
            }

            if (update && _registration is null)
            {
                return FakeAnswer.Error(71007, "回调地址不存在");
            }
        }

        var handshake = await CheckUrlAsync(registration!, context.RequestAborted).ConfigureAwait(false);
        if (handshake is not null)
        {
            return handshake;
        }

        lock (_lock)
        {
            if (!update && _registration is not null)
            {
                return FakeAnswer.Error(71006, "回调地址已经存在");
            }

            _registration = registration;
        }

        return FakeAnswer.Ok();
    }

    private async Task<(DingCallbackRegistration? Registration, FakeAnswer? Problem)> ReadRegistrationAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return (null, FakeAnswer.Error(71010, "POST的json数据不合法"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法"));
            }

            if (!root.TryGetProperty("call_back_tag", out var tags) || tags.ValueKind != JsonValueKind.Array)
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法: call_back_tag必须是数组"));
            }

            var tagList = new List<string>();
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(tag.GetString()))
                {
                    return (null, FakeAnswer.Error(71010, "POST的json数据不合法: call_back_tag的元素必须是字符串"));
                }

                tagList.Add(tag.GetString()!);
            }

            if (tagList.Count == 0)
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法: call_back_tag为空"));
            }

            var token = ReadString(root, "token");
            var aesKey = ReadString(root, "aes_key");
            var url = ReadString(root, "url");
            if (token is null || aesKey is null || url is null)
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法: 缺少token、aes_key或url"));
            }

            if (token.Length is < 6 or > 63)
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法: token长度必须为6到63"));
            }

            if (!DingCallbackCrypto.IsValidAesKey(aesKey))
            {
                return (null, FakeAnswer.Error(71010, "POST的json数据不合法: aes_key必须是43位字母或数字"));
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return (null, FakeAnswer.Error(71011, "传入的url参数不合法"));
            }

            foreach (var tag in tagList)
            {
                if (!_knownTags.Contains(tag))
                {
                    return (null, FakeAnswer.Error(71008, "不合法的call_back_tag: " + tag));
                }
            }

            return (new DingCallbackRegistration(url, tagList, token, aesKey), null);
        }
    }

    /// <summary>Sends <c>{"EventType":"check_url"}</c> to the URL as DingTalk does and checks the reply decrypts to <c>success</c>.</summary>
    private async Task<FakeAnswer?> CheckUrlAsync(DingCallbackRegistration registration, CancellationToken cancellationToken)
    {
        var simulator = new DingTalkSimulator(registration.Token, registration.AesKey, _options.CorpId, _options.TimeProvider);
        var callback = simulator.CreateCallback("""{"EventType":"check_url"}""");
        var separator = registration.Url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = string.Create(CultureInfo.InvariantCulture, $"{registration.Url}{separator}signature={Uri.EscapeDataString(callback.Signature)}&timestamp={Uri.EscapeDataString(callback.Timestamp)}&nonce={Uri.EscapeDataString(callback.Nonce)}");
        var body = "{\"encrypt\":\"" + callback.Encrypt + "\"}";

        FakeAnswer? result;
        HttpStatusCode? status = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await _checkUrlClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            var reply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (IsUnreachableStatus(response.StatusCode))
            {
                result = FakeAnswer.Error(71012, string.Create(CultureInfo.InvariantCulture, $"url访问异常, HTTP状态码 {(int)response.StatusCode}, 请求: curl -X POST '{uri}' -H 'Content-Type:application/json' -d '{body}'"));
            }
            else
            {
                result = simulator.IsSuccessReply(reply) ? null : FakeAnswer.Error(71009, "返回文本非success");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var cause = ex is TaskCanceledException ? "java.net.SocketTimeoutException: Read timed out" : $"{ex.GetType().FullName}: {ex.Message}";
            result = FakeAnswer.Error(71012, $"url访问异常, 错误信息: {cause}, 请求: curl -X POST '{uri}' -H 'Content-Type:application/json' -d '{body}'");
        }

        lock (_lock)
        {
            _checkUrlAttempts.Add(new FakeCheckUrlAttempt(registration.Url, status, result?.ErrorCode ?? 0));
        }

        return result;
    }

    /// <summary>
    /// Statuses that mean no callback endpoint answered (71012): redirects, 404/405 and gateway errors. Any other answer
    /// reached the endpoint, so a reply that is not the encrypted <c>success</c> is 71009 (e.g. the 401 a DingGen host
    /// sends for a wrong signature or owner key).
    /// </summary>
    private static bool IsUnreachableStatus(HttpStatusCode status) =>
        (int)status is >= 300 and < 400
        || status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private FakeAnswer HandleGetCallback(HttpContext context)
    {
        DingCallbackRegistration? registration;
        lock (_lock)
        {
            registration = _registration;
        }

        if (registration is null)
        {
            return FakeAnswer.Error(71007, "回调地址不存在");
        }

        return new FakeAnswer(0, Json(writer =>
        {
            writer.WriteNumber("errcode", 0);
            writer.WriteString("errmsg", "ok");
            writer.WriteStartArray("call_back_tag");
            foreach (var tag in registration.Tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteString("token", registration.Token);
            writer.WriteString("aes_key", registration.AesKey);
            writer.WriteString("url", registration.Url);
        }));
    }

    private FakeAnswer HandleDeleteCallback(HttpContext context)
    {
        lock (_lock)
        {
            if (_registration is null)
            {
                return FakeAnswer.Error(71007, "回调地址不存在");
            }

            _registration = null;
        }

        return FakeAnswer.Ok();
    }

    private FakeAnswer HandleFailedResult(HttpContext context)
    {
        string[] page;
        bool hasMore;
        lock (_lock)
        {
            page = _failedEvents.Take(FailedResultPageSize).ToArray();
            if (_options.FailedListConsumedOnRead)
            {
                _failedEvents.RemoveRange(0, page.Length);
                hasMore = _failedEvents.Count > 0;
            }
            else
            {
                // Kept: the first page again on every call; has_more only when the list does not fit one page.
                hasMore = _failedEvents.Count > page.Length;
            }
        }

        return new FakeAnswer(0, Json(writer =>
        {
            writer.WriteNumber("errcode", 0);
            writer.WriteString("errmsg", "ok");
            writer.WriteBoolean("has_more", hasMore);
            writer.WriteStartArray("failed_list");
            foreach (var entry in page)
            {
                writer.WriteRawValue(entry);
            }

            writer.WriteEndArray();
        }));
    }

    private async Task<FakeAnswer> HandleProcessInstanceAsync(HttpContext context)
    {
        if (CheckToken(context) is { } tokenError)
        {
            // The topapi answers token errors as errcode 88 with the real code in sub_code, as DingTalk does.
            return FakeAnswer.TopApiError(tokenError);
        }

        string? id = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            id = document.RootElement.ValueKind == JsonValueKind.Object ? ReadString(document.RootElement, "process_instance_id") : null;
        }
        catch (JsonException)
        {
            // Answered below as a missing parameter.
        }

        if (string.IsNullOrEmpty(id))
        {
            return FakeAnswer.Error(40035, "缺少参数 process_instance_id");
        }

        string? instance;
        lock (_lock)
        {
            _processInstances.TryGetValue(id, out instance);
        }

        if (instance is null)
        {
            return FakeAnswer.Error(ProcessInstanceNotFoundCode, "审批实例不存在");
        }

        return new FakeAnswer(0, Json(writer =>
        {
            writer.WriteNumber("errcode", 0);
            writer.WriteString("errmsg", "ok");
            writer.WritePropertyName("process_instance");
            writer.WriteRawValue(instance);
            writer.WriteString("request_id", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        }));
    }

    private (bool Found, (int? ErrorCode, string? ErrorMessage, int? Status) Failure) TakeInjected(string path)
    {
        lock (_lock)
        {
            if (_injected.TryGetValue(path, out var queue) && queue.Count > 0)
            {
                return (true, queue.Dequeue());
            }
        }

        return (false, default);
    }

    private async Task WriteErrorAsync(HttpContext context, string method, string path, int errorCode, string errorMessage)
    {
        var answer = FakeAnswer.Error(errorCode, errorMessage);
        Record(method, path, errorCode, StatusCodes.Status200OK);
        await WriteJsonAsync(context, answer.Json).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json;charset=utf-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private void Record(string method, string path, int? errorCode, int statusCode)
    {
        lock (_lock)
        {
            _requests.Add(new FakeDingTalkRequest(method, path, errorCode, statusCode));
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record FakeAnswer(int ErrorCode, byte[] Json)
    {
        public static FakeAnswer Ok() => Error(0, "ok");

        public static FakeAnswer Error(int errorCode, string errorMessage) => new(errorCode, FakeDingTalkServer.Json(writer =>
        {
            writer.WriteNumber("errcode", errorCode);
            writer.WriteString("errmsg", errorMessage);
        }));

        /// <summary>The topapi form of <paramref name="error"/>: errcode 88, the original errcode and errmsg as <c>sub_code</c>/<c>sub_msg</c>.</summary>
        public static FakeAnswer TopApiError(FakeAnswer error)
        {
            using var original = JsonDocument.Parse(error.Json);
            var message = original.RootElement.GetProperty("errmsg").GetString() ?? string.Empty;
            var subCode = error.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new(88, FakeDingTalkServer.Json(writer =>
            {
                writer.WriteNumber("errcode", 88);
                writer.WriteString("errmsg", $"ding talk error[subcode={subCode},submsg={message}]");
                writer.WriteString("sub_code", subCode);
                writer.WriteString("sub_msg", message);
            }));
        }
    }
}

/// <summary>One request the fake DingTalk answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/call_back/register_call_back</c>.</param>
/// <param name="ErrorCode">The <c>errcode</c> answered (0 on success), or <see langword="null"/> when no DingTalk body was sent (injected HTTP status, 404, 405).</param>
/// <param name="StatusCode">The HTTP status answered.</param>
public sealed record FakeDingTalkRequest(string Method, string Path, int? ErrorCode, int StatusCode);

/// <summary>One <c>check_url</c> handshake the fake DingTalk performed while registering or updating.</summary>
/// <param name="Url">The callback URL validated.</param>
/// <param name="StatusCode">The HTTP status the URL answered, or <see langword="null"/> when it could not be reached.</param>
/// <param name="ErrorCode">0 when the reply decrypted to <c>success</c>; otherwise 71009 or 71012.</param>
public sealed record FakeCheckUrlAttempt(string Url, HttpStatusCode? StatusCode, int ErrorCode);
