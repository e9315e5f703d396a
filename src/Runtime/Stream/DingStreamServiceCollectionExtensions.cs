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
        if (registry.IsStream(name))
        {
            throw new InvalidOperationException(name.Length == 0
                ? "DingGen: UseStreamMode() was called twice for the default DingTalk app; one Stream connection per app is enough."
                : $"DingGen: UseStreamMode() was called twice for the DingTalk app '{name}'; one Stream connection per app is enough.");
        }

        registry.MarkStream(name);
        var optionsBuilder = services.AddOptions<DingStreamOptions>(name).Bind(builder.Configuration.GetSection("Stream"));
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
