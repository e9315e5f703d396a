using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Adds DingGen's health check.</summary>
public static class DingGenHealthChecksBuilderExtensions
{
    /// <summary>The default registration name of the check.</summary>
    public const string DefaultName = "dinggen";

    /// <summary>
    /// Adds a health check that is unhealthy when no <see cref="IDingEventDispatcher"/> is registered or the options of an
    /// app added with <c>AddDingGen</c> are invalid (the description names the settings, never their values):
    /// <c>services.AddHealthChecks().AddDingGenHealthCheck()</c>. It is not added implicitly by <c>AddDingGen</c>, so hosts
    /// choose the name, tags and which health endpoint reports it.
    /// </summary>
    public static IHealthChecksBuilder AddDingGenHealthCheck(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        builder.Services.AddDingGenCore();
        return builder.Add(new HealthCheckRegistration(name, static sp => new DingGenHealthCheck(sp), failureStatus, tags));
    }
}

/// <summary>Unhealthy when no dispatcher is registered or an app's configuration is invalid.</summary>
internal sealed class DingGenHealthCheck : IHealthCheck
{
    private readonly IServiceProvider _services;

    public DingGenHealthCheck(IServiceProvider services)
    {
        _services = services;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context.Registration.FailureStatus;
        var router = _services.GetRequiredService<DingEventRouter>();
        if (router.Dispatchers.Count == 0)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, "No IDingEventDispatcher is registered: no DingTalk event can be handled. Call services.AddDingEventHandlers()."));
        }

        var registry = _services.GetService<DingGenAppRegistry>();
        if (registry is not null)
        {
            var monitor = _services.GetRequiredService<IOptionsMonitor<DingGenOptions>>();
            List<string>? failures = null;
            foreach (var name in registry.AppNames)
            {
                try
                {
                    _ = monitor.Get(name);
                }
                catch (OptionsValidationException ex)
                {
                    (failures ??= new List<string>()).AddRange(ex.Failures);
                }
            }

            if (failures is not null)
            {
                return Task.FromResult(new HealthCheckResult(failureStatus, "DingGen configuration is invalid: " + string.Join(" ", failures)));
            }
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["dispatchers"] = router.Dispatchers.Count,
            ["eventTypes"] = router.HandledEventTypes.Count,
        };
        var description = $"{router.Dispatchers.Count} dispatcher(s), {router.HandledEventTypes.Count} event type(s).";
        if (DingStreamHealth.Describe(_services, data) is { } streamProblem)
        {
            return Task.FromResult(new HealthCheckResult(HealthStatus.Degraded, description + " " + streamProblem, data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }
}
