using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Hands out the <see cref="DingTalkClient"/> of each DingTalk app registered with
/// <see cref="DingTalkClientServiceCollectionExtensions.AddDingTalkClient"/>: one instance per app for the life of the
/// container, so its access token is shared. HTTP connections come from <c>IHttpClientFactory</c> (client name
/// <see cref="HttpClientName"/>).
/// </summary>
public sealed class DingTalkClientFactory
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<DingTalkClientOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DingGenAppRegistry? _registry;
    private readonly HashSet<string> _apps;
    private readonly ConcurrentDictionary<string, Lazy<DingTalkClient>> _clients = new(StringComparer.Ordinal);

    internal DingTalkClientFactory(
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<DingTalkClientOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IEnumerable<DingTalkClientAppRegistration> apps,
        DingGenAppRegistry? registry)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _registry = registry;
        _apps = new HashSet<string>(apps.Select(static a => a.AppName), StringComparer.Ordinal);
    }

    /// <summary>The name of the <c>IHttpClientFactory</c> client of app <paramref name="appName"/> (configure handlers or proxies on it).</summary>
    public static string HttpClientName(string appName) => "DingGen.OpenApi:" + appName;

    /// <summary>The client of the DingTalk app <paramref name="appName"/> (<see cref="DingGenServiceCollectionExtensions.DefaultAppName"/> for the unnamed app).</summary>
    /// <exception cref="InvalidOperationException">The app has no client (<c>AddDingTalkClient</c> was not called for it), or its AppKey/AppSecret are missing.</exception>
    public DingTalkClient Get(string appName)
    {
        ArgumentNullException.ThrowIfNull(appName);
        if (!_apps.Contains(appName))
        {
            throw new InvalidOperationException(
                $"No DingTalk server API client is registered for {DingGenAppRegistry.Describe(appName)}: call AddDingTalkClient() on its AddDingGen(...) builder. Registered: {(_apps.Count == 0 ? "none" : string.Join(", ", _apps.Order(StringComparer.Ordinal).Select(static n => n.Length == 0 ? "(default)" : n)))}.");
        }

        var lazy = _clients.GetOrAdd(appName, name => new Lazy<DingTalkClient>(() => Create(name), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (InvalidOperationException)
        {
            // A configuration error is reported again on the next call, after the configuration may have been fixed.
            _clients.TryRemove(new KeyValuePair<string, Lazy<DingTalkClient>>(appName, lazy));
            throw;
        }
    }

    private DingTalkClient Create(string appName)
    {
        var options = _options.Get(appName);
        var prefix = _registry?.IsApp(appName) == true ? _registry.SettingPrefix(appName) : string.Empty;
        var problem = DingTalkClient.Validate(options, prefix);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        var httpClientName = HttpClientName(appName);
        return new DingTalkClient(() => _httpClientFactory.CreateClient(httpClientName), options, _timeProvider, _loggerFactory.CreateLogger<DingTalkClient>(), prefix);
    }
}

/// <summary>Marks an app as having a server API client (one per <c>AddDingTalkClient</c> call).</summary>
internal sealed record DingTalkClientAppRegistration(string AppName);
