using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Settings of the failed-event replay of one DingTalk app, bound from its <c>Replay</c> sub-section (e.g. <c>DingGen:Replay:StorePath</c>).</summary>
public sealed class DingFailedEventReplayOptions
{
    /// <summary>The default <see cref="StorePath"/>: <c>dinggen-replayed.jsonl</c>, relative to the current directory.</summary>
    public const string DefaultStorePath = "dinggen-replayed.jsonl";

    /// <summary>
    /// The JSON-lines file <see cref="DingJsonLinesReplayStore"/> records replayed entries in (created owner-read/write only on
    /// Unix). Relative paths are resolved against the current directory. Ignored when another <see cref="IDingReplayStore"/> is registered.
    /// </summary>
    public string StorePath { get; set; } = DefaultStorePath;

    /// <summary>The most pages of the failed list one replay reads (1–1000); default <see cref="DingFailedEventReplayer.DefaultMaxPages"/>.</summary>
    public int MaxPages { get; set; } = DingFailedEventReplayer.DefaultMaxPages;
}

/// <summary>Registration of <see cref="DingFailedEventReplayer"/>.</summary>
public static class DingFailedEventReplayServiceCollectionExtensions
{
    /// <summary>The configuration sub-section of an app's DingGen section the replay settings are bound from: <c>Replay</c>.</summary>
    public const string ConfigurationSectionName = "Replay";

    /// <summary>
    /// Adds the failed-event replay of the builder's app: a <see cref="DingFailedEventReplayer"/> over the app's
    /// <see cref="DingTalkClient"/> (added here when <c>AddDingTalkClient</c> was not called), the <see cref="DingEventRouter"/>,
    /// and an <see cref="IDingReplayStore"/> (a <see cref="DingJsonLinesReplayStore"/> at <c>Replay:StorePath</c> unless one is
    /// registered already). The default app's replayer is the <see cref="DingFailedEventReplayer"/> service; a named app's is the
    /// keyed service with the app name as key.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDingGen</c>.</param>
    /// <param name="configure">Changes the options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static DingGenBuilder AddFailedEventReplay(this DingGenBuilder builder, Action<DingFailedEventReplayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var name = builder.Name;
        if (!HasClient(services, name))
        {
            builder.AddDingTalkClient();
        }

        var prefix = builder.Configuration is IConfigurationSection section && section.Path.Length > 0 ? section.Path + ":" : string.Empty;
        var options = services.AddOptions<DingFailedEventReplayOptions>(name)
            .Bind(builder.Configuration.GetSection(ConfigurationSectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => !string.IsNullOrWhiteSpace(o.StorePath), $"{prefix}Replay:StorePath must not be empty: set it to the file replayed failed events are recorded in (default {DingFailedEventReplayOptions.DefaultStorePath}).")
            .Validate(static o => o.MaxPages is >= 1 and <= 1000, $"{prefix}Replay:MaxPages must be between 1 and 1000.")
            .ValidateOnStart();

        services.TryAddKeyedSingleton<IDingReplayStore>(name, (sp, _) =>
            sp.GetService<IDingReplayStore>() ?? new DingJsonLinesReplayStore(Settings(sp, name).StorePath, sp.GetService<TimeProvider>()));
        services.AddKeyedSingleton(name, (sp, _) =>
        {
            var settings = Settings(sp, name);
            return new DingFailedEventReplayer(
                sp.GetRequiredService<DingTalkClientFactory>().Get(name),
                sp.GetRequiredService<DingEventRouter>(),
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetRequiredKeyedService<IDingReplayStore>(name),
                sp.GetService<TimeProvider>(),
                sp.GetService<ILogger<DingFailedEventReplayer>>())
            {
                Inbox = sp.GetService<DingInboxWriter>(),
                MaxPages = settings.MaxPages,
                AppName = name.Length == 0 ? null : name,
            };
        });
        if (name.Length == 0)
        {
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<DingFailedEventReplayer>(DingGenServiceCollectionExtensions.DefaultAppName));
        }

        return builder;
    }

    private static DingFailedEventReplayOptions Settings(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<DingFailedEventReplayOptions>>().Get(name);

    private static bool HasClient(IServiceCollection services, string name)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(DingTalkClientAppRegistration) && descriptor.ImplementationInstance is DingTalkClientAppRegistration registration
                && registration.AppName == name)
            {
                return true;
            }
        }

        return false;
    }
}
