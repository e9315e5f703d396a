using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Registration of the operations dashboard's services.</summary>
public static class DingDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <see cref="DingDashboardEndpointRouteBuilderExtensions.MapDingDashboard"/> needs: the delivery observer that keeps the
    /// latest deliveries (an <see cref="IDingDeliveryObserver"/>: metadata only, never payloads), ASP.NET Core antiforgery for the
    /// dashboard's actions, and the start-up check that refuses an unprotected dashboard outside Development. Calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the <see cref="DingDashboardOptions"/>.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDingDashboard(this IServiceCollection services, Action<DingDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DingDashboardOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => o.RecentDeliveries is >= 1 and <= 100_000, "DingDashboardOptions.RecentDeliveries must be between 1 and 100000.")
            .Validate(static o => o.DeliveriesPerApp is >= 1 and <= 1000, "DingDashboardOptions.DeliveriesPerApp must be between 1 and 1000.")
            .Validate(static o => o.DeadLettersShown is >= 1 and <= 1000, "DingDashboardOptions.DeadLettersShown must be between 1 and 1000.")
            .Validate(static o => o.RemoteTimeout > TimeSpan.Zero, "DingDashboardOptions.RemoteTimeout must be positive.")
            .Validate(static o => o.AutoRefresh >= TimeSpan.Zero, "DingDashboardOptions.AutoRefresh must not be negative.")
            .ValidateOnStart();

        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(DingDashboardDeliveryLog))
            {
                return services;
            }
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static sp => new DingDashboardDeliveryLog(sp.GetRequiredService<IOptions<DingDashboardOptions>>().Value.RecentDeliveries));
        services.AddSingleton<IDingDeliveryObserver>(static sp => sp.GetRequiredService<DingDashboardDeliveryLog>());
        services.AddSingleton(static sp => new DingDashboardService(
            sp, sp.GetRequiredService<DingDashboardDeliveryLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<DingDashboardOptions>>()));
        services.AddSingleton<DingDashboardEndpointSources>();
        services.AddSingleton<IStartupFilter, DingDashboardSecurityCheck>();
        services.AddAntiforgery();
        return services;
    }
}
