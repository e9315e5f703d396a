using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Turns on DingTalk's Stream channel (a WebSocket the host opens; no public URL, no callback crypto).</summary>
public static class DingStreamBuilderExtensions
{
    /// <summary>
    /// Receives this app's events over DingTalk's Stream channel: a hosted service opens a connection ticket with the app's
    /// <c>AppKey</c> and <c>AppSecret</c>, keeps one WebSocket connection alive, dispatches every EVENT frame through the same
    /// generated dispatchers as HTTP push (<see cref="DingEventContext.Channel"/> = <see cref="DingDeliveryChannel.Stream"/>)
    /// and acknowledges <c>SUCCESS</c>, or <c>LATER</c> when a handler failed so DingTalk redelivers.
    /// </summary>
    /// <param name="builder">The app's builder from <c>AddDingGen</c>.</param>
    /// <param name="configure">Changes the <see cref="DingStreamOptions"/> after they are bound from the <c>Stream</c> sub-section of the app's configuration.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>Configuration can do the same: <c>Stream:Enabled</c> = <c>true</c> in the app's section (<c>DingGen:Stream:Enabled</c>,
    /// <c>DingGen__Stream__Enabled</c>) makes <c>AddDingGen</c> turn stream mode on; calling this method as well is then
    /// allowed and only adds <paramref name="configure"/>.</para>
    /// <c>AppSecret</c> becomes required (validated at start-up); <c>Token</c> and <c>AesKey</c> are not needed unless an HTTP
    /// callback is mapped too. Which events arrive is what is ticked in the DingTalk console: the service logs the run-time
    /// union of handled event types at start-up. See docs/stream-mode.md.
    /// </remarks>
    public static DingGenBuilder UseStreamMode(this DingGenBuilder builder, Action<DingStreamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var name = builder.Name;
        var registry = DingGenServiceCollectionExtensions.GetOrAddRegistry(services);
        if (registry.IsStreamFromConfigurationOnly(name))
        {
            // Stream:Enabled = true already turned it on in AddDingGen: this call only adds its configure action.
            registry.MarkStream(name);
            if (configure is not null)
            {
                services.Configure(name, configure);
            }

            return builder;
        }

        if (registry.IsStream(name))
        {
            throw new InvalidOperationException(name.Length == 0
                ? "DingGen: UseStreamMode() was called twice for the default DingTalk app; one Stream connection per app is enough."
                : $"DingGen: UseStreamMode() was called twice for the DingTalk app '{name}'; one Stream connection per app is enough.");
        }

        return AddStreamMode(builder, registry, configure, fromConfiguration: false);
    }

    /// <summary>
    /// Turns stream mode on when the app's section says <c>Stream:Enabled</c> = <c>true</c> (called by <c>AddDingGen</c>).
    /// A value other than <c>true</c>/<c>false</c> fails at once with a message naming the setting.
    /// </summary>
    internal static void UseStreamModeWhenConfigured(DingGenBuilder builder, DingGenAppRegistry registry, string settingPrefix)
    {
        var value = builder.Configuration["Stream:Enabled"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!bool.TryParse(value, out var enabled))
        {
            throw new InvalidOperationException($"DingGen: {settingPrefix}Stream:Enabled must be true or false.");
        }

        if (enabled)
        {
            AddStreamMode(builder, registry, configure: null, fromConfiguration: true);
        }
    }

    private static DingGenBuilder AddStreamMode(DingGenBuilder builder, DingGenAppRegistry registry, Action<DingStreamOptions>? configure, bool fromConfiguration)
    {
        var services = builder.Services;
        var name = builder.Name;
        registry.MarkStream(name, fromConfiguration);
        var optionsBuilder = services.AddOptions<DingStreamOptions>(name).Bind(builder.Configuration.GetSection("Stream"));
        optionsBuilder.PostConfigure(static options => options.Enabled = true);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingStreamOptions>, DingStreamOptionsValidator>());
        services.AddHttpClient(DingStreamTicketClient.HttpClientName, static client => client.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton<DingStreamMetrics>();
        services.TryAddSingleton<DingStreamStatusRegistry>();
        services.AddSingleton<IHostedService>(sp => new DingStreamService(name, sp));
        return builder;
    }
}
