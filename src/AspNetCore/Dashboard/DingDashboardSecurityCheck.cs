using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace DingGen;

/// <summary>
/// Refuses to start the host outside the Development environment when a dashboard endpoint carries neither an authorization requirement
/// nor an explicit <c>AllowAnonymous()</c>. Runs while the request pipeline is built, before the server listens.
/// </summary>
internal sealed class DingDashboardSecurityCheck : IStartupFilter
{
    private readonly DingDashboardEndpointSources _sources;
    private readonly IHostEnvironment _environment;

    public DingDashboardSecurityCheck(DingDashboardEndpointSources sources, IHostEnvironment environment)
    {
        _sources = sources;
        _environment = environment;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        Check();
        next(app);
    };

    /// <summary>Throws when an unprotected dashboard endpoint is mapped outside Development.</summary>
    public void Check()
    {
        if (_environment.IsDevelopment())
        {
            return;
        }

        foreach (var (prefix, builder) in _sources.Snapshot())
        {
            foreach (var source in builder.DataSources)
            {
                foreach (var endpoint in source.Endpoints)
                {
                    var metadata = endpoint.Metadata;
                    if (metadata.GetMetadata<DingDashboardEndpointMetadata>() is null
                        || metadata.GetMetadata<IAuthorizeData>() is not null
                        || metadata.GetMetadata<AuthorizationPolicy>() is not null
                        || metadata.GetMetadata<IAllowAnonymous>() is not null)
                    {
                        continue;
                    }

                    throw new InvalidOperationException(
                        $"The DingGen dashboard at {prefix} has no authorization requirement, and the environment is {_environment.EnvironmentName}, not Development: "
                        + "its page shows operational data and its actions change DingTalk's registration and the inbox. "
                        + $"Protect it: app.MapDingDashboard(\"{prefix}\").RequireAuthorization(\"<policy>\") (with builder.Services.AddAuthentication(…) and AddAuthorization(…)). "
                        + $"Only when nobody untrusted can reach the host (e.g. it listens on loopback alone), opt out explicitly: app.MapDingDashboard(\"{prefix}\").AllowAnonymous().");
                }
            }
        }
    }
}
