using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace DingGen;

/// <summary>
/// A typed client of DingTalk's server API (<c>https://oapi.dingtalk.com</c>): the access token, callback registration
/// (register, update, get, delete, keep in step with the handlers), the failed-delivery list and approval instances.
/// </summary>
/// <remarks>
/// <para>The access token is fetched with the app's AppKey/AppSecret, cached until <see cref="DingTalkClientOptions.TokenRefreshMargin"/>
/// before it expires, fetched by one caller at a time however many wait, and refreshed once (with the call retried once) when
/// DingTalk answers 40001, 40014, 42001, or 88 with <c>sub_code</c> 40014 (the topapi form).</para>
/// <para>Transient failures are retried by a Polly retry strategy (Microsoft.Extensions.Http.Resilience) with the one DingGen
/// backoff formula, timed by the <see cref="TimeProvider"/>: DingTalk's errcode -1 (system busy), HTTP 429 and 503 for every call;
/// HTTP 5xx, 408, timeouts and connection failures only for idempotent calls (GET), since a POST such as
/// <c>register_call_back</c> may have been carried out before the connection dropped. Each call has one overall deadline,
/// <see cref="DingTalkClientOptions.CallTimeout"/>, covering the token, every attempt and every wait; when it passes the call
/// throws <see cref="TimeoutException"/>. Other DingTalk errors (<c>errcode</c> ≠ 0) throw <see cref="DingTalkApiException"/>
/// and are not retried. Thread-safe: share one instance per app (DI does).</para>
/// </remarks>
public sealed partial class DingTalkClient
{
    /// <summary>The path of the access-token API.</summary>
    public const string GetTokenPath = "/gettoken";

    /// <summary>The path of the callback registration API.</summary>
    public const string RegisterCallbackPath = "/call_back/register_call_back";

    /// <summary>The path of the callback update API.</summary>
    public const string UpdateCallbackPath = "/call_back/update_call_back";

    /// <summary>The path of the callback query API.</summary>
    public const string GetCallbackPath = "/call_back/get_call_back";

    /// <summary>The path of the callback deletion API.</summary>
    public const string DeleteCallbackPath = "/call_back/delete_call_back";

    /// <summary>The path of the failed-delivery list API.</summary>
    public const string GetFailedEventsPath = "/call_back/get_call_back_failed_result";

    /// <summary>The path of the approval-instance API.</summary>
    public const string GetProcessInstancePath = "/topapi/processinstance/get";

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly Func<HttpClient> _httpClient;
    private readonly DingTalkClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _settingPrefix;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotentRetries;
    private readonly ResiliencePipeline<HttpResponseMessage> _unsafeRetries;
    private readonly Lock _tokenLock = new();
    private string? _token;
    private DateTimeOffset _tokenRefreshAt;
    private Task<string>? _tokenFetch;

    /// <summary>Creates a client over <paramref name="httpClient"/>, usable without DI (e.g. in a CLI or a test).</summary>
    /// <param name="httpClient">The HTTP client; its own <c>BaseAddress</c> is ignored in favour of <see cref="DingTalkClientOptions.BaseAddress"/>.</param>
    /// <param name="options">Credentials, keys and retry settings; <c>AppKey</c> and <c>AppSecret</c> are required.</param>
    /// <param name="timeProvider">The clock for token expiry and retry delays; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A required setting is missing or a setting is out of range.</exception>
    public DingTalkClient(HttpClient httpClient, DingTalkClientOptions options, TimeProvider? timeProvider = null, ILogger<DingTalkClient>? logger = null)
        : this(CreateSource(httpClient), options, timeProvider, logger, settingPrefix: string.Empty)
    {
    }

    internal DingTalkClient(Func<HttpClient> httpClient, DingTalkClientOptions options, TimeProvider? timeProvider, ILogger? logger, string settingPrefix)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var problem = Validate(options, settingPrefix);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _httpClient = httpClient;
        _options = new DingTalkClientOptions
        {
            // A private copy: later changes to the caller's instance do not reach a running client.
            AppKey = options.AppKey,
            AppSecret = options.AppSecret,
            Token = options.Token,
            AesKey = options.AesKey,
            BaseAddress = options.BaseAddress,
            MaxTransientRetries = options.MaxTransientRetries,
            RetryBaseDelay = options.RetryBaseDelay,
            TokenRefreshMargin = options.TokenRefreshMargin,
            CallTimeout = options.CallTimeout,
            CorpId = options.CorpId,
            ApiBaseAddress = options.ApiBaseAddress,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _settingPrefix = settingPrefix;
        _idempotentRetries = BuildRetries(idempotent: true);
        _unsafeRetries = BuildRetries(idempotent: false);
    }

    /// <summary>The app key the client calls DingTalk for.</summary>
    public string AppKey => _options.AppKey!;

    /// <summary>The base address of DingTalk's server API the client calls.</summary>
    public Uri BaseAddress => _options.BaseAddress;

    /// <summary>
    /// The base address of DingTalk's newer server API (robots, interactive cards) the client calls: <see cref="DingTalkClientOptions.ApiBaseAddress"/>,
    /// else <see cref="DingTalkClientOptions.DefaultApiBaseAddress"/> when <see cref="BaseAddress"/> is DingTalk's, else <see cref="BaseAddress"/>.
    /// </summary>
    public Uri ApiBaseAddress => _options.ApiBaseAddress
        ?? (_options.BaseAddress == new Uri(DingTalkClientOptions.DefaultBaseAddress) ? new Uri(DingTalkClientOptions.DefaultApiBaseAddress) : _options.BaseAddress);

    /// <summary>
    /// Returns a valid access token: the cached one, or a new one from <c>GET /gettoken?appkey=&amp;appsecret=</c>. Concurrent
    /// callers share one fetch. Never log the result.
    /// </summary>
    /// <exception cref="DingTalkApiException">DingTalk rejected the credentials (e.g. 40096/40089).</exception>
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        Task<string> fetch;
        lock (_tokenLock)
        {
            if (_token is not null && _timeProvider.GetUtcNow() < _tokenRefreshAt)
            {
                return Task.FromResult(_token);
            }

            if (_tokenFetch is null || _tokenFetch.IsCompleted)
            {
                // The shared fetch is not cancelled by one caller giving up; each caller stops waiting on its own token.
                _tokenFetch = FetchTokenAsync();

                // Observed even when every waiter has given up, so a failed fetch never surfaces as an unobserved task exception.
                _tokenFetch.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            fetch = _tokenFetch;
        }

        return fetch.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Registers the callback (<c>POST /call_back/register_call_back</c>). DingTalk validates the URL with a <c>check_url</c>
    /// encrypted with the <b>CorpId</b> as owner key before it answers.
    /// </summary>
    /// <exception cref="DingTalkApiException">E.g. 71006 already registered, 71008 unknown tag, 71009 the reply did not decrypt, 71012 unreachable.</exception>
    public async Task RegisterCallbackAsync(DingCallbackRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        using var _ = await CallAsync(HttpMethod.Post, RegisterCallbackPath, CreateRegistrationContent(registration), acceptedErrorCode: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the registered callback (<c>POST /call_back/update_call_back</c>); DingTalk validates the URL again.</summary>
    /// <exception cref="DingTalkApiException">E.g. 71007 nothing registered, 71009, 71012.</exception>
    public async Task UpdateCallbackAsync(DingCallbackRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        using var _ = await CallAsync(HttpMethod.Post, UpdateCallbackPath, CreateRegistrationContent(registration), acceptedErrorCode: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the registered callback (<c>GET /call_back/get_call_back</c>); <see langword="null"/> when none is registered (71007).</summary>
    public async Task<DingCallbackRegistration?> GetCallbackAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, GetCallbackPath, content: null, acceptedErrorCode: 71007, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var response = Deserialize(document.RootElement, DingOpenApiJsonContext.Default.DingGetCallbackResponse, GetCallbackPath);
        return new DingCallbackRegistration(
            response.Url ?? string.Empty,
            response.CallBackTag?.Where(static t => t is not null).ToArray() ?? [],
            response.Token ?? string.Empty,
            response.AesKey ?? string.Empty);
    }

    /// <summary>Deletes the registered callback (<c>GET /call_back/delete_call_back</c>).</summary>
    public async Task DeleteCallbackAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await CallAsync(HttpMethod.Get, DeleteCallbackPath, content: null, acceptedErrorCode: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One call of <c>GET /call_back/get_call_back_failed_result</c>: up to 200 failed deliveries and whether more remain.
    /// Entries that are not objects or lack a tag are skipped.
    /// </summary>
    public async Task<DingFailedEventPage> GetFailedEventsAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, GetFailedEventsPath, content: null, acceptedErrorCode: null, cancellationToken).ConfigureAwait(false);
        return DingOpenApiParsing.ParseFailedEventPage(document!.RootElement);
    }

    /// <summary>Reads an approval instance (<c>POST /topapi/processinstance/get</c>).</summary>
    /// <param name="processInstanceId">The instance id, e.g. from <c>bpms_instance_change</c>'s <c>processInstanceId</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DingProcessInstance> GetProcessInstanceAsync(string processInstanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(processInstanceId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DingProcessInstanceRequestBody { ProcessInstanceId = processInstanceId }, DingOpenApiJsonContext.Default.DingProcessInstanceRequestBody);
        using var document = await CallAsync(HttpMethod.Post, GetProcessInstancePath, body, acceptedErrorCode: null, cancellationToken).ConfigureAwait(false);
        if (!document!.RootElement.TryGetProperty("process_instance", out var instance) || instance.ValueKind != JsonValueKind.Object)
        {
            throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response has no process_instance object", GetProcessInstancePath);
        }

        return DingOpenApiParsing.ParseProcessInstance(processInstanceId, instance, ChinaStandardTime);
    }

    /// <summary>
    /// Makes DingTalk's registration equal <paramref name="url"/> + <paramref name="tags"/> with the options' <c>Token</c> and
    /// <c>AesKey</c>: registers when nothing is registered, updates when the URL, the tag set (ordinal, order and duplicates
    /// ignored) or the keys differ, and does nothing when all are equal.
    /// </summary>
    /// <param name="url">The callback URL.</param>
    /// <param name="tags">The event tags handled, e.g. the union of every module's <c>DingEventTags.All</c>; <c>check_*</c> tags are ignored.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done and the difference with the previous registration.</returns>
    /// <remarks>
    /// Before DingTalk is asked to register or update, the client plays DingTalk's <c>check_url</c> against <paramref name="url"/>
    /// itself (<see cref="CheckCallbackUrlAsync"/>) with the Token, the AesKey and <see cref="DingTalkClientOptions.CorpId"/> as owner
    /// key, and throws <see cref="DingCallbackUrlCheckException"/> naming the cause when the host refuses it. Without a CorpId the
    /// check is skipped (logged as a warning).
    /// </remarks>
    /// <exception cref="InvalidOperationException">The options have no <c>Token</c> or <c>AesKey</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="tags"/> holds no tag besides <c>check_*</c> ones.</exception>
    /// <exception cref="DingCallbackUrlCheckException">The host at <paramref name="url"/> refused the pre-flight <c>check_url</c>; DingTalk was not asked.</exception>
    public async Task<DingCallbackSyncResult> SyncCallbackAsync(string url, IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(tags);
        if (string.IsNullOrEmpty(_options.Token) || string.IsNullOrEmpty(_options.AesKey))
        {
            throw new InvalidOperationException($"{_settingPrefix}Token and {_settingPrefix}AesKey are required to register a callback: they must be the keys the callback host verifies signatures and decrypts with.");
        }

        var desired = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (!string.IsNullOrWhiteSpace(tag) && !DingHandshakeEvents.Contains(tag))
            {
                desired.Add(tag);
            }
        }

        if (desired.Count == 0)
        {
            throw new ArgumentException("No event tags to register (check_* handshakes are never registered): a callback needs at least one tag. To stop receiving events, delete the registration with DeleteCallbackAsync.", nameof(tags));
        }

        var wanted = new DingCallbackRegistration(url, desired.ToArray(), _options.Token, _options.AesKey);
        var current = await GetCallbackAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            await PreflightAsync(wanted, cancellationToken).ConfigureAwait(false);
            await RegisterCallbackAsync(wanted, cancellationToken).ConfigureAwait(false);
            DingOpenApiLog.CallbackSynced(_logger, _options.AppKey, "registered", url, desired.Count, desired.Count, 0);
            return new DingCallbackSyncResult(DingCallbackSyncAction.Registered, wanted.Tags, [], UrlChanged: true, PreviousUrl: null) { KeysChanged = true };
        }

        var previous = new SortedSet<string>(current.Tags, StringComparer.Ordinal);
        var added = desired.Where(t => !previous.Contains(t)).ToArray();
        var removed = previous.Where(t => !desired.Contains(t)).ToArray();
        var urlChanged = !string.Equals(current.Url, url, StringComparison.Ordinal);
        var keysChanged = !string.Equals(current.Token, wanted.Token, StringComparison.Ordinal)
            || !string.Equals(current.AesKey, wanted.AesKey, StringComparison.Ordinal);

        if (!urlChanged && !keysChanged && added.Length == 0 && removed.Length == 0)
        {
            return new DingCallbackSyncResult(DingCallbackSyncAction.Unchanged, [], [], UrlChanged: false, current.Url);
        }

        await PreflightAsync(wanted, cancellationToken).ConfigureAwait(false);
        await UpdateCallbackAsync(wanted, cancellationToken).ConfigureAwait(false);
        DingOpenApiLog.CallbackSynced(_logger, _options.AppKey, "updated", url, desired.Count, added.Length, removed.Length);
        return new DingCallbackSyncResult(DingCallbackSyncAction.Updated, added, removed, urlChanged, current.Url) { KeysChanged = keysChanged };
    }

    /// <summary>
    /// The pre-flight check: plays DingTalk's <c>check_url</c> handshake against <paramref name="url"/> — a POST encrypted and signed
    /// with <paramref name="token"/> and <paramref name="aesKey"/> and <paramref name="corpId"/> as owner key, as DingTalk sends it for
    /// callbacks registered through the API — and judges the reply: accepted, or why the host refused (its OwnerKey is not the
    /// CorpId, its Token or AesKey differ, nothing serves that path, or it is not reachable from here). Nothing is sent to DingTalk.
    /// </summary>
    /// <param name="url">The callback URL.</param>
    /// <param name="token">The callback Token being registered.</param>
    /// <param name="aesKey">The callback AesKey being registered.</param>
    /// <param name="corpId">The enterprise's CorpId (<c>ding…</c>).</param>
    /// <param name="cancellationToken">Cancels the check; it also ends after <see cref="DingTalkClientOptions.CallTimeout"/>.</param>
    public Task<DingCallbackUrlCheckResult> CheckCallbackUrlAsync(string url, string token, string aesKey, string corpId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(aesKey);
        ArgumentException.ThrowIfNullOrEmpty(corpId);
        if (!DingCallbackCrypto.IsValidAesKey(aesKey))
        {
            throw new ArgumentException("The AesKey must be 43 Base64 characters (A–Z, a–z, 0–9, +, /).", nameof(aesKey));
        }

        return DingCallbackUrlCheck.RunAsync(_httpClient(), url, token, aesKey, corpId, _timeProvider, _options.CallTimeout, cancellationToken);
    }

    private async Task PreflightAsync(DingCallbackRegistration wanted, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.CorpId))
        {
            DingOpenApiLog.PreflightSkipped(_logger, _options.AppKey, _settingPrefix + "OpenApi:CorpId");
            return;
        }

        var result = await CheckCallbackUrlAsync(wanted.Url, wanted.Token, wanted.AesKey, _options.CorpId, cancellationToken).ConfigureAwait(false);
        if (!result.Accepted)
        {
            throw new DingCallbackUrlCheckException(result);
        }
    }

    /// <summary>Checks everything a client needs: credentials, then <see cref="ValidateSettings"/>. Names the setting, never its value.</summary>
    internal static string? Validate(DingTalkClientOptions options, string settingPrefix)
    {
        if (string.IsNullOrWhiteSpace(options.AppKey))
        {
            return $"{settingPrefix}AppKey is required to call DingTalk's server API: set it to the app's AppKey (ClientID).";
        }

        if (string.IsNullOrWhiteSpace(options.AppSecret))
        {
            return $"{settingPrefix}AppSecret is required to call DingTalk's server API: set it to the app's AppSecret (ClientSecret), e.g. from an environment variable or a secret store.";
        }

        return ValidateSettings(options, settingPrefix);
    }

    /// <summary>Checks the settings that have defaults (address, retries, delays), validated at start-up; credentials are checked on first use.</summary>
    internal static string? ValidateSettings(DingTalkClientOptions options, string settingPrefix)
    {
        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri || (options.BaseAddress.Scheme != Uri.UriSchemeHttps && options.BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            return $"{settingPrefix}OpenApi:BaseAddress must be an absolute http(s) URI (default {DingTalkClientOptions.DefaultBaseAddress}).";
        }

        if (options.ApiBaseAddress is not null && (!options.ApiBaseAddress.IsAbsoluteUri || (options.ApiBaseAddress.Scheme != Uri.UriSchemeHttps && options.ApiBaseAddress.Scheme != Uri.UriSchemeHttp)))
        {
            return $"{settingPrefix}OpenApi:ApiBaseAddress must be an absolute http(s) URI (default {DingTalkClientOptions.DefaultApiBaseAddress}).";
        }

        if (options.MaxTransientRetries is < 0 or > 10)
        {
            return $"{settingPrefix}OpenApi:MaxTransientRetries must be between 0 and 10.";
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            return $"{settingPrefix}OpenApi:RetryBaseDelay must be between 00:00:00 and 00:01:00.";
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero)
        {
            return $"{settingPrefix}OpenApi:TokenRefreshMargin must not be negative.";
        }

        if (options.CallTimeout != Timeout.InfiniteTimeSpan && (options.CallTimeout <= TimeSpan.Zero || options.CallTimeout > TimeSpan.FromHours(1)))
        {
            return $"{settingPrefix}OpenApi:CallTimeout must be between 00:00:00.001 and 01:00:00 (default 00:00:30), or -00:00:00.001 for none.";
        }

        return null;
    }

    private static Func<HttpClient> CreateSource(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static byte[] CreateRegistrationContent(DingCallbackRegistration registration)
    {
        ArgumentException.ThrowIfNullOrEmpty(registration.Url, nameof(registration));
        ArgumentNullException.ThrowIfNull(registration.Tags, nameof(registration));
        var body = new DingCallbackRegistrationBody
        {
            CallBackTag = registration.Tags,
            Token = registration.Token ?? string.Empty,
            AesKey = registration.AesKey ?? string.Empty,
            Url = registration.Url,
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, DingOpenApiJsonContext.Default.DingCallbackRegistrationBody);
    }

    private static T Deserialize<T>(JsonElement element, JsonTypeInfo<T> typeInfo, string api)
    {
        try
        {
            return element.Deserialize(typeInfo) ?? throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response body is null", api);
        }
        catch (JsonException ex)
        {
            throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response does not have the documented shape (" + ex.Message + ")", api);
        }
    }

    private async Task<string> FetchTokenAsync()
    {
        var uri = BuildUri(GetTokenPath, "appkey=" + Uri.EscapeDataString(_options.AppKey!) + "&appsecret=" + Uri.EscapeDataString(_options.AppSecret!));

        // The shared fetch has its own deadline: no caller's cancellation stops it, but it never runs for ever.
        using var deadline = new CancellationTokenSource(_options.CallTimeout, _timeProvider);
        JsonDocument document;
        try
        {
            document = (await SendWithRetriesAsync(HttpMethod.Get, uri, GetTokenPath, content: null, accessToken: null, deadline.Token).ConfigureAwait(false)).Document;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw DeadlinePassed(GetTokenPath, ex);
        }

        using var _ = document;
        var (errorCode, errorMessage, _, _) = ReadError(document.RootElement, GetTokenPath);
        if (errorCode != 0)
        {
            DingOpenApiLog.ApiCallFailed(_logger, GetTokenPath, _options.AppKey, errorCode, errorMessage);
            throw new DingTalkApiException(errorCode, errorMessage, GetTokenPath);
        }

        var response = Deserialize(document.RootElement, DingOpenApiJsonContext.Default.DingAccessTokenResponse, GetTokenPath);
        if (string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn <= 0)
        {
            throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "gettoken answered without access_token or expires_in", GetTokenPath);
        }

        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn);
        var margin = _options.TokenRefreshMargin < lifetime / 2 ? _options.TokenRefreshMargin : lifetime / 2;
        var refreshAt = _timeProvider.GetUtcNow() + lifetime - margin;
        lock (_tokenLock)
        {
            _token = response.AccessToken;
            _tokenRefreshAt = refreshAt;
        }

        DingOpenApiLog.AccessTokenRefreshed(_logger, _options.AppKey, response.ExpiresIn, refreshAt);
        return response.AccessToken;
    }

    private void InvalidateToken(string token)
    {
        lock (_tokenLock)
        {
            if (string.Equals(_token, token, StringComparison.Ordinal))
            {
                _token = null;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="api"/> with the access token; refreshes the token and retries once on 40001/40014/42001.
    /// Returns the response document, or <see langword="null"/> when DingTalk answered <paramref name="acceptedErrorCode"/>.
    /// </summary>
    private async Task<JsonDocument?> CallAsync(HttpMethod method, string api, byte[]? content, int? acceptedErrorCode, CancellationToken cancellationToken)
    {
        // One deadline for the whole call: token, attempts and backoff waits.
        using var deadline = new CancellationTokenSource(_options.CallTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await CallCoreAsync(method, api, content, acceptedErrorCode, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeadlinePassed(api, ex);
        }
    }

    private TimeoutException DeadlinePassed(string api, Exception inner)
    {
        DingOpenApiLog.CallDeadlinePassed(_logger, api, _options.CallTimeout.TotalSeconds);
        return new TimeoutException(
            string.Create(CultureInfo.InvariantCulture, $"DingTalk API {api} at {_options.BaseAddress} did not answer within {_options.CallTimeout.TotalSeconds:0.###} s (OpenApi:CallTimeout), retries included."),
            inner);
    }

    private async Task<JsonDocument?> CallCoreAsync(HttpMethod method, string api, byte[]? content, int? acceptedErrorCode, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var token = await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            var uri = BuildUri(api, "access_token=" + Uri.EscapeDataString(token));
            var (document, _) = await SendWithRetriesAsync(method, uri, api, content, accessToken: null, cancellationToken).ConfigureAwait(false);
            int errorCode;
            string errorMessage;
            string? subCode;
            string? subMessage;
            try
            {
                (errorCode, errorMessage, subCode, subMessage) = ReadError(document.RootElement, api);
            }
            catch
            {
                document.Dispose();
                throw;
            }

            if (errorCode == 0)
            {
                DingOpenApiLog.ApiCallSucceeded(_logger, api, _options.AppKey, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                return document;
            }

            document.Dispose();
            if (DingTalkApiException.IsAccessTokenErrorCode(errorCode, subCode) && attempt == 0)
            {
                DingOpenApiLog.AccessTokenRejected(_logger, api, _options.AppKey, errorCode);
                InvalidateToken(token);
                continue;
            }

            if (errorCode == acceptedErrorCode)
            {
                return null;
            }

            DingOpenApiLog.ApiCallFailed(_logger, api, _options.AppKey, errorCode, errorMessage);
            var hint = errorCode == DingTalkApiException.TopApiSubCodeErrorCode && subCode is not null
                ? DingTalkApiException.GetHint(int.TryParse(subCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sub) ? sub : errorCode, subMessage ?? errorMessage)
                : DingTalkApiException.GetHint(errorCode, errorMessage);
            throw new DingTalkApiException(errorCode, subMessage is null ? errorMessage : errorMessage + " (" + subCode + ": " + subMessage + ")", api, hint)
            {
                SubCode = subCode,
                SubMessage = subMessage,
            };
        }
    }

    private Uri BuildUri(string path, string query) => BuildUri(_options.BaseAddress, path, query);

    private static Uri BuildUri(Uri baseAddress, string path, string query)
    {
        var builder = new UriBuilder(baseAddress);
        builder.Path = builder.Path.TrimEnd('/') + path;
        builder.Query = query;
        return builder.Uri;
    }

    private static (int ErrorCode, string ErrorMessage, string? SubCode, string? SubMessage) ReadError(JsonElement root, string api)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response is not a JSON object", api);
        }

        var errorCode = 0;
        if (root.TryGetProperty("errcode", out var code))
        {
            if (!(code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out errorCode))
                && !(code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out errorCode)))
            {
                throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response's errcode is not a number", api);
            }
        }
        else
        {
            throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, "the response has no errcode", api);
        }

        var errorMessage = root.TryGetProperty("errmsg", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() ?? string.Empty : string.Empty;
        string? subCode = null;
        if (root.TryGetProperty("sub_code", out var sub))
        {
            subCode = sub.ValueKind switch
            {
                JsonValueKind.String => sub.GetString(),
                JsonValueKind.Number => sub.GetRawText(),
                _ => null,
            };
        }

        var subMessage = root.TryGetProperty("sub_msg", out var subMsg) && subMsg.ValueKind == JsonValueKind.String ? subMsg.GetString() : null;
        return (errorCode, errorMessage, string.IsNullOrEmpty(subCode) ? null : subCode, string.IsNullOrEmpty(subMessage) ? null : subMessage);
    }

    /// <summary>
    /// Sends one request through the retry strategy (transient failures retried with backoff, see the class remarks); returns the
    /// parsed JSON body of the answer and its HTTP status. <paramref name="accessToken"/>, when given, goes in the
    /// <c>x-acs-dingtalk-access-token</c> header (the api.dingtalk.com APIs).
    /// </summary>
    private async Task<(JsonDocument Document, HttpStatusCode Status)> SendWithRetriesAsync(HttpMethod method, Uri uri, string api, byte[]? content, string? accessToken, CancellationToken cancellationToken)
    {
        var pipeline = method == HttpMethod.Get ? _idempotentRetries : _unsafeRetries;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ApiKey, api);
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    using var request = new HttpRequestMessage(state.Method, state.Uri);
                    if (state.AccessToken is not null)
                    {
                        request.Headers.TryAddWithoutValidation(AccessTokenHeader, state.AccessToken);
                    }

                    if (state.Content is not null)
                    {
                        request.Content = new ByteArrayContent(state.Content);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    }

                    return await state.Client._httpClient().SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (Client: this, Method: method, Uri: uri, Content: content, AccessToken: accessToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransientException(ex, cancellationToken))
        {
            DingOpenApiLog.TransientFailureGaveUp(_logger, api, Describe(ex), context.Properties.GetValue(AttemptsKey, 0) + 1);
            if (ex is HttpRequestException)
            {
                throw;
            }

            throw new TimeoutException($"DingTalk API {api} did not answer in time.", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            if (IsTransientStatus(response.StatusCode))
            {
                throw new HttpRequestException($"DingTalk API {api} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && !LooksLikeJsonObject(bytes))
            {
                throw new HttpRequestException($"DingTalk API {api} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            try
            {
                return (JsonDocument.Parse(bytes), response.StatusCode);
            }
            catch (JsonException)
            {
                throw new DingTalkApiException(DingTalkApiException.InvalidResponseCode, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} with a body that is not JSON"), api);
            }
        }
    }

    private static readonly ResiliencePropertyKey<string> ApiKey = new("DingGen.Api");
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("DingGen.Retries");

    /// <summary>The retry strategy of idempotent (GET) or unsafe (POST) calls; no strategy at all when retries are off.</summary>
    private ResiliencePipeline<HttpResponseMessage> BuildRetries(bool idempotent)
    {
        if (_options.MaxTransientRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }

        var maxRetries = _options.MaxTransientRetries;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, idempotent, args.Context.CancellationToken),

                // The one backoff formula of DingGen (attempt 0 is the first retry).
                DelayGenerator = args => new ValueTask<TimeSpan?>(ComputeDelay(args.AttemptNumber)),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(AttemptsKey, args.AttemptNumber + 1);
                    var api = args.Context.Properties.GetValue(ApiKey, string.Empty);
                    var failure = args.Outcome.Exception is { } ex ? Describe(ex) : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)args.Outcome.Result!.StatusCode}");
                    DingOpenApiLog.TransientFailureRetrying(_logger, api, failure, args.AttemptNumber + 1, maxRetries, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Whether an attempt's outcome is worth another: connection failures, timeouts and HTTP 5xx/408 only for idempotent calls;
    /// HTTP 429 and 503 and DingTalk's errcode -1 (system busy), which say the request was not carried out, for every call.
    /// </summary>
    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, bool idempotent, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            return idempotent && IsTransientException(exception, cancellationToken);
        }

        var response = outcome.Result!;
        if (HttpClientResiliencePredicates.IsTransient(Outcome.FromResult(response)))
        {
            return idempotent || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
        }

        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        // The content was read in full (ResponseContentRead), so reading it here leaves it for the caller.
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return IsSystemBusy(bytes);
    }

    private static bool IsTransientException(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // The caller's cancellation or the call's deadline: never retried.
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,

        // HttpClient.Timeout elapsed.
        OperationCanceledException => true,
        HttpRequestException { StatusCode: null } => true,
        _ => HttpClientResiliencePredicates.IsTransient(Outcome.FromException<HttpResponseMessage>(exception)),
    };

    private static string Describe(Exception exception) => exception switch
    {
        HttpRequestException http => http.HttpRequestError.ToString() + ": " + http.Message,
        OperationCanceledException => "timeout",
        _ => exception.GetType().Name,
    };

    private static bool IsSystemBusy(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("errcode"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isCode)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code) && code == DingTalkApiException.SystemBusyCode;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: answered as such by the caller.
        }

        return false;
    }

    private TimeSpan ComputeDelay(int attempt) =>
        _options.RetryBaseDelay <= TimeSpan.Zero
            ? TimeSpan.Zero
            : DingBackoff.Delay(attempt + 1, _options.RetryBaseDelay, TimeSpan.FromMinutes(2), Random.Shared.NextDouble());

    private static bool IsTransientStatus(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;

    private static bool LooksLikeJsonObject(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }
}
