using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Looks up the <see cref="DingTalkClient"/> of each DingTalk app registered with
/// <see cref="DingTalkClientServiceCollectionExtensions.AddDingTalkClient"/>. Each client is a keyed singleton service, the app
/// name as key (<c>GetRequiredKeyedService&lt;DingTalkClient&gt;("hr")</c>; the default app's is also the plain
/// <see cref="DingTalkClient"/> service), so its access token is shared for the life of the container; this lookup adds a clear
/// error for an app without a client. HTTP connections come from <c>IHttpClientFactory</c> (client name <see cref="HttpClientName"/>).
/// </summary>
public sealed class DingTalkClientFactory
{
    private readonly IServiceProvider _services;
    private readonly HashSet<string> _apps;

    internal DingTalkClientFactory(IServiceProvider services, IEnumerable<DingTalkClientAppRegistration> apps)
    {
        _services = services;
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

        return _services.GetRequiredKeyedService<DingTalkClient>(appName);
    }

    /// <summary>Creates the keyed client of <paramref name="appName"/>; a configuration error is thrown, and reported again on the next resolve.</summary>
    internal static DingTalkClient Create(IServiceProvider services, string appName)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DingTalkClientOptions>>().Get(appName);
        var registry = services.GetService<DingGenAppRegistry>();
        var prefix = registry?.IsApp(appName) == true ? registry.SettingPrefix(appName) : string.Empty;
        var problem = DingTalkClient.Validate(options, prefix);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        var httpClients = services.GetRequiredService<IHttpClientFactory>();
        var httpClientName = HttpClientName(appName);
        return new DingTalkClient(
            () => httpClients.CreateClient(httpClientName),
            options,
            services.GetService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<DingTalkClient>(),
            prefix);
    }
}

/// <summary>Marks an app as having a server API client (one per <c>AddDingTalkClient</c> call).</summary>
internal sealed record DingTalkClientAppRegistration(string AppName);
