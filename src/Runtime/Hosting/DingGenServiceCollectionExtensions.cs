using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DingGen;

/// <summary>Registration of DingGen's services.</summary>
public static partial class DingGenServiceCollectionExtensions
{
    /// <summary>
    /// The name of the <c>IHttpClientFactory</c> client the default <see cref="IDingRobotReplySender"/> posts to session webhooks
    /// with: <c>DingGen.RobotReply</c> (30 s timeout; configure a proxy or handlers on it).
    /// </summary>
    public const string RobotReplyHttpClientName = "DingGen.RobotReply";

    /// <summary>The name of the DingTalk app configured by the unnamed <c>AddDingGen</c> overloads.</summary>
    public const string DefaultAppName = "";

    /// <summary>How logs, metrics, the health check and the CLI name the default app (<see cref="DefaultAppName"/>): <c>default</c>.</summary>
    public const string DefaultAppDisplayName = "default";

    /// <summary>The name of app <paramref name="appName"/> in logs and metrics: itself, or <see cref="DefaultAppDisplayName"/> for the default app.</summary>
    public static string DisplayName(string? appName) => string.IsNullOrEmpty(appName) ? DefaultAppDisplayName : appName;

    /// <summary>
    /// Registers what every DingGen host needs to dispatch events: the JSON options (catalogue plus registered contexts),
    /// the <see cref="DingEventRouter"/> over every registered dispatcher, the <see cref="DingInteractionRouter"/> over every
    /// registered <see cref="IDingInteractionDispatcher"/>, the <see cref="DingDeliveryPipeline"/>, the <see cref="IDingRobotReplySender"/>,
    /// and a <see cref="TimeProvider"/>.
    /// Idempotent; called by <c>AddDingGen</c> and by the generated <c>AddDingEventHandlers</c>, in either order.
    /// </summary>
    public static IServiceCollection AddDingGenCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new DingJsonOptions(sp.GetServices<DingJsonContextRegistration>().Select(static r => r.Context)));
        services.TryAddSingleton(static sp => new DingEventRouter(sp.GetServices<IDingEventDispatcher>()));
        services.TryAddSingleton(static sp => new DingInteractionRouter(sp.GetServices<IDingInteractionDispatcher>()));
        services.AddMetrics();
        services.TryAddSingleton<DingDeliveryMetrics>();
        services.TryAddSingleton(static sp => new DingDeliveryPipeline(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<DingEventRouter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DingDeliveryMetrics>(),
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            sp.GetServices<IDingDeliveryObserver>(),
            sp.GetRequiredService<DingInteractionRouter>(),
            sp));
        if (!services.Any(static d => d.ServiceType == typeof(IDingRobotReplySender)))
        {
            // The robot reply sender: session webhooks through a named client; the robot API (DingGen.OpenApi) when registered.
            services.AddHttpClient(RobotReplyHttpClientName, static client => client.Timeout = TimeSpan.FromSeconds(30));
            services.TryAddSingleton<IDingRobotReplySender>(static sp => new DingRobotReplySender(
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                sp,
                sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        }

        return services;
    }

    /// <summary>Registers a source-generated JSON context for user payload types (see <see cref="DingGenBuilder.AddJsonContext"/>).</summary>
    public static IServiceCollection AddDingJsonContext(this IServiceCollection services, JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        services.AddDingGenCore();
        services.AddSingleton(new DingJsonContextRegistration(context));
        return services;
    }

    /// <summary>
    /// Adds the handlers of another assembly through its generated, public module type
    /// (e.g. <c>services.AddDingModule&lt;HrDingModule&gt;()</c>). No reflection.
    /// </summary>
    public static IServiceCollection AddDingModule<TModule>(this IServiceCollection services)
        where TModule : IDingModule
    {
        ArgumentNullException.ThrowIfNull(services);
        TModule.Register(services);
        return services;
    }
}

/// <summary>A JSON context registered for user payload types.</summary>
/// <param name="Context">The context.</param>
public sealed record DingJsonContextRegistration(JsonSerializerContext Context);
