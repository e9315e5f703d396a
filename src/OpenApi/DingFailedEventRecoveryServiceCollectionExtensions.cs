using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Settings of the failed-event recovery of one DingTalk app, bound from its <c>Recovery</c> sub-section (e.g. <c>DingGen:Recovery:StorePath</c>).</summary>
public sealed class DingFailedEventRecoveryOptions
{
    /// <summary>The default <see cref="StorePath"/>: <c>dinggen-recovered.jsonl</c>, relative to the current directory.</summary>
    public const string DefaultStorePath = "dinggen-recovered.jsonl";

    /// <summary>
    /// The JSON-lines file <see cref="DingJsonLinesRecoveryStore"/> records recovered entries in (created owner-read/write only on
    /// Unix). Relative paths are resolved against the current directory. Ignored when another <see cref="IDingRecoveryStore"/> is registered.
    /// </summary>
    public string StorePath { get; set; } = DefaultStorePath;

    /// <summary>The default <see cref="MaxAttempts"/>: 8.</summary>
    public const int DefaultMaxAttempts = 8;

    /// <summary>The default <see cref="RetryInitialDelay"/>: one minute.</summary>
    public static readonly TimeSpan DefaultRetryInitialDelay = TimeSpan.FromMinutes(1);

    /// <summary>The default <see cref="RetryMaxDelay"/>: six hours.</summary>
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromHours(6);

    /// <summary>The most pages of the failed list one recovery reads (1–1000); default <see cref="DingFailedEventRecovery.DefaultMaxPages"/>.</summary>
    public int MaxPages { get; set; } = DingFailedEventRecovery.DefaultMaxPages;

    /// <summary>How many times an entry's handlers may fail (1–100) before it is dead-lettered; default <see cref="DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>The wait after an entry's first failure before a recovery retries it; doubles per failure (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = DefaultRetryInitialDelay;

    /// <summary>The longest wait between two attempts of an entry.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;
}

/// <summary>Registration of <see cref="DingFailedEventRecovery"/>.</summary>
public static class DingFailedEventRecoveryServiceCollectionExtensions
{
    /// <summary>The configuration sub-section of an app's DingGen section the recovery settings are bound from: <c>Recovery</c>.</summary>
    public const string ConfigurationSectionName = "Recovery";

    /// <summary>
    /// Adds the failed-event recovery of the builder's app: a <see cref="DingFailedEventRecovery"/> over the app's
    /// <see cref="DingTalkClient"/> (added here when <c>AddDingTalkClient</c> was not called), the <see cref="DingEventRouter"/>,
    /// and an <see cref="IDingRecoveryStore"/> (a <see cref="DingJsonLinesRecoveryStore"/> at <c>Recovery:StorePath</c> unless one is
    /// registered already). The default app's recovery is the <see cref="DingFailedEventRecovery"/> service; a named app's is the
    /// keyed service with the app name as key.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDingGen</c>.</param>
    /// <param name="configure">Changes the options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static DingGenBuilder AddFailedEventRecovery(this DingGenBuilder builder, Action<DingFailedEventRecoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var name = builder.Name;
        if (!HasClient(services, name))
        {
            builder.AddDingTalkClient();
        }

        var prefix = builder.Configuration is IConfigurationSection section && section.Path.Length > 0 ? section.Path + ":" : string.Empty;
        var options = services.AddOptions<DingFailedEventRecoveryOptions>(name)
            .Bind(builder.Configuration.GetSection(ConfigurationSectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => !string.IsNullOrWhiteSpace(o.StorePath), $"{prefix}Recovery:StorePath must not be empty: set it to the file recovered failed events are recorded in (default {DingFailedEventRecoveryOptions.DefaultStorePath}).")
            .Validate(static o => o.MaxPages is >= 1 and <= 1000, $"{prefix}Recovery:MaxPages must be between 1 and 1000.")
            .Validate(static o => o.MaxAttempts is >= 1 and <= 100, $"{prefix}Recovery:MaxAttempts must be between 1 and 100.")
            .Validate(static o => o.RetryInitialDelay >= TimeSpan.Zero && o.RetryMaxDelay >= o.RetryInitialDelay, $"{prefix}Recovery:RetryInitialDelay must not be negative and Recovery:RetryMaxDelay must not be below it.")
            .ValidateOnStart();

        services.TryAddKeyedSingleton<IDingRecoveryStore>(name, (sp, _) =>
            sp.GetService<IDingRecoveryStore>() ?? new DingJsonLinesRecoveryStore(Settings(sp, name).StorePath, sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IDingRecoveryLock, DingInProcessRecoveryLock>();
        services.AddKeyedSingleton(name, (sp, _) =>
        {
            var settings = Settings(sp, name);
            return new DingFailedEventRecovery(
                sp.GetRequiredKeyedService<DingTalkClient>(name),
                sp.GetRequiredService<DingDeliveryPipeline>(),
                sp.GetRequiredKeyedService<IDingRecoveryStore>(name),
                sp.GetService<TimeProvider>(),
                sp.GetService<ILogger<DingFailedEventRecovery>>())
            {
                Inbox = sp.GetService<DingInboxWriter>(),
                Lock = sp.GetRequiredService<IDingRecoveryLock>(),
                MaxPages = settings.MaxPages,
                MaxAttempts = settings.MaxAttempts,
                RetryInitialDelay = settings.RetryInitialDelay,
                RetryMaxDelay = settings.RetryMaxDelay,
                AppName = name.Length == 0 ? null : name,
            };
        });
        if (name.Length == 0)
        {
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<DingFailedEventRecovery>(DingGenServiceCollectionExtensions.DefaultAppName));
        }

        return builder;
    }

    private static DingFailedEventRecoveryOptions Settings(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<DingFailedEventRecoveryOptions>>().Get(name);

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
