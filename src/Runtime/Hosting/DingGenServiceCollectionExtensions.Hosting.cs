using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DingGen;

public static partial class DingGenServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default DingTalk app, bound from <paramref name="configuration"/> (keys <c>Token</c>, <c>AesKey</c>,
    /// <c>AppKey</c>, <c>OwnerKey</c>, <c>AppSecret</c>, <c>MaxBodyBytes</c>, <c>AcceptSuiteCreationPlaceholder</c>, <c>ReplayGuard</c>, <c>PreviousToken</c>, <c>PreviousAesKey</c>, <c>PreviousKeysUntil</c>; see
    /// <see cref="DingGenOptions"/>), and everything the callback endpoint needs. Map the endpoint with
    /// <c>app.MapDingCallback("/dingtalk/callback")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of the app, e.g. <c>builder.Configuration.GetSection("DingGen")</c>.
    /// Every setting can also come from environment variables through standard configuration (<c>DingGen__Token</c>, …).</param>
    /// <returns>A builder to add JSON contexts and modules.</returns>
    /// <remarks>
    /// Options are validated at start-up (<c>ValidateOnStart</c>); <c>Token</c> and <c>AesKey</c> are required only when a
    /// callback is mapped for the app. <c>Stream:Enabled</c> = <c>true</c> in the section turns stream mode on, exactly as
    /// <c>UseStreamMode()</c> does (see <see cref="DingStreamOptions.Enabled"/>). Calls <see cref="AddDingGenCore"/>, so it works before or after the generated
    /// <c>AddDingEventHandlers()</c>.
    /// </remarks>
    public static DingGenBuilder AddDingGen(this IServiceCollection services, IConfiguration configuration) =>
        AddDingGen(services, DefaultAppName, configuration);

    /// <summary>
    /// Adds the DingTalk app <paramref name="name"/>, bound from <paramref name="configuration"/>, for hosts that receive
    /// the callbacks of several DingTalk apps (one URL each: <c>app.MapDingCallback("/dingtalk/hr", name)</c>).
    /// Its options are <c>IOptionsMonitor&lt;DingGenOptions&gt;.Get(name)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The app name; <see cref="DefaultAppName"/> (empty) is the unnamed app.</param>
    /// <param name="configuration">The configuration section of the app.</param>
    /// <returns>A builder to add JSON contexts and modules.</returns>
    public static DingGenBuilder AddDingGen(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddDingGenCore();
        var registry = GetOrAddRegistry(services);
        registry.AddApp(name, configuration is IConfigurationSection section ? section.Path : string.Empty);

        services.AddOptions<DingGenOptions>(name)
            .Bind(configuration)
            .ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingGenOptions>, DingGenOptionsAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingGenOptions>, DingGenOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<DingGenMetrics>();
        services.TryAddSingleton<DingCallbackAppCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingGenOptions>, DingReplayGuardOptionsValidator>());
        services.TryAddSingleton(static sp => new DingReplayGuard(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            sp.GetService<IDingReplayGuardStore>()));
        var builder = new DingGenBuilder(services, name, configuration);
        DingStreamBuilderExtensions.UseStreamModeWhenConfigured(builder, registry, registry.SettingPrefix(name));
        return builder;
    }

    internal static DingGenAppRegistry GetOrAddRegistry(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(DingGenAppRegistry) && descriptor.ImplementationInstance is DingGenAppRegistry existing)
            {
                return existing;
            }
        }

        var registry = new DingGenAppRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
