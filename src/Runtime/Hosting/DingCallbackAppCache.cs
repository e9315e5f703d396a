using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>The crypto of one DingTalk app, built from one snapshot of its options.</summary>
internal sealed class DingCallbackApp
{
    public DingCallbackApp(string name, DingGenOptions options)
    {
        Name = name;
        MetricName = DingGenServiceCollectionExtensions.DisplayName(name);
        Options = options;
        Crypto = new DingCallbackCrypto(options.Token!, options.AesKey!, options.EffectiveOwnerKey!);
        if (options.AcceptSuiteCreationPlaceholder && !string.Equals(Crypto.OwnerKey, DingGenOptions.SuiteCreationPlaceholderOwnerKey, StringComparison.Ordinal))
        {
            PlaceholderCrypto = new DingCallbackCrypto(options.Token!, options.AesKey!, DingGenOptions.SuiteCreationPlaceholderOwnerKey);
        }
    }

    public string Name { get; }

    /// <summary>The app name in logs and metric tags: the name, or <c>default</c>.</summary>
    public string MetricName { get; }

    public DingGenOptions Options { get; }

    public DingCallbackCrypto Crypto { get; }

    /// <summary>The crypto under the suite-creation placeholder key, when <see cref="DingGenOptions.AcceptSuiteCreationPlaceholder"/> is set.</summary>
    public DingCallbackCrypto? PlaceholderCrypto { get; }
}

/// <summary>One <see cref="DingCallbackApp"/> per app name, rebuilt when its options are reloaded.</summary>
internal sealed class DingCallbackAppCache
{
    private readonly IOptionsMonitor<DingGenOptions> _monitor;
    private readonly ConcurrentDictionary<string, DingCallbackApp> _apps = new(StringComparer.Ordinal);

    public DingCallbackAppCache(IOptionsMonitor<DingGenOptions> monitor)
    {
        _monitor = monitor;
    }

    /// <summary>The app's crypto. Throws <see cref="OptionsValidationException"/> when its options are invalid.</summary>
    public DingCallbackApp Get(string name)
    {
        var options = _monitor.Get(name);
        if (_apps.TryGetValue(name, out var app) && ReferenceEquals(app.Options, options))
        {
            return app;
        }

        app = new DingCallbackApp(name, options);
        _apps[name] = app;
        return app;
    }
}
