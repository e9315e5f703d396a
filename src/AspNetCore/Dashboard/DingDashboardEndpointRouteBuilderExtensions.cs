using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Maps DingGen's operations dashboard.</summary>
/// <remarks>
/// <para>Endpoints under the prefix: <c>GET {prefix}</c> (the HTML page), <c>GET {prefix}/api/status</c> (the JSON status document),
/// and the POST actions <c>{prefix}/actions/sync</c>, <c>/actions/recover</c>, <c>/actions/retry</c> and <c>/actions/purge</c>, each
/// refused with 400 without a valid antiforgery token (the page's forms carry one).</para>
/// <para>Outside the Development environment the host does not start unless the dashboard's endpoints carry an authorization requirement
/// (<c>.RequireAuthorization(…)</c>) or an explicit <c>.AllowAnonymous()</c>. See <c>docs/dashboard.md</c>.</para>
/// </remarks>
public static class DingDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the operations dashboard at <paramref name="pattern"/>, e.g. <c>app.MapDingDashboard("/dingtalk/dashboard")</c>. Needs
    /// <c>services.AddDingDashboard()</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="pattern">The prefix, a literal path such as <c>/dingtalk/dashboard</c>.</param>
    /// <returns>The group of the dashboard's endpoints: add <c>.RequireAuthorization(…)</c> (or <c>.AllowAnonymous()</c>) to it.</returns>
    /// <exception cref="InvalidOperationException"><c>AddDingDashboard()</c> was not called.</exception>
    public static RouteGroupBuilder MapDingDashboard(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var services = endpoints.ServiceProvider;
        var service = services.GetService<DingDashboardService>()
            ?? throw new InvalidOperationException("MapDingDashboard needs the dashboard's services: call builder.Services.AddDingDashboard() before building the app.");
        var options = services.GetRequiredService<IOptions<DingDashboardOptions>>().Value;
        var basePath = "/" + pattern.Trim('/');
        basePath = basePath == "/" ? string.Empty : basePath;
        services.GetRequiredService<DingDashboardEndpointSources>().Add(basePath.Length == 0 ? "/" : basePath, endpoints);

        var handlers = new DingDashboardEndpoints(service, services.GetRequiredService<IAntiforgery>(), options, basePath);
        var group = endpoints.MapGroup(pattern);
        group.WithMetadata(new DingDashboardEndpointMetadata(basePath));

        RequestDelegate page = handlers.PageAsync;
        RequestDelegate status = handlers.StatusAsync;
        RequestDelegate sync = handlers.SyncAsync;
        RequestDelegate recover = handlers.RecoverAsync;
        RequestDelegate retry = handlers.RetryAsync;
        RequestDelegate purge = handlers.PurgeAsync;
        group.MapGet(string.Empty, page).WithDisplayName("DingGen dashboard");
        group.MapGet("/api/status", status).WithDisplayName("DingGen dashboard status");
        group.MapPost("/actions/sync", sync).WithDisplayName("DingGen dashboard: sync registration");
        group.MapPost("/actions/recover", recover).WithDisplayName("DingGen dashboard: recover failed events");
        group.MapPost("/actions/retry", retry).WithDisplayName("DingGen dashboard: retry inbox entry");
        group.MapPost("/actions/purge", purge).WithDisplayName("DingGen dashboard: purge dead letters");
        return group;
    }
}

/// <summary>Marks the dashboard's endpoints, so the start-up check finds them.</summary>
internal sealed record DingDashboardEndpointMetadata(string Prefix);

/// <summary>The route builders the dashboard was mapped on (one per <c>MapDingDashboard</c> call).</summary>
internal sealed class DingDashboardEndpointSources
{
    private readonly List<(string Prefix, IEndpointRouteBuilder Builder)> _sources = [];

    public void Add(string prefix, IEndpointRouteBuilder builder)
    {
        lock (_sources)
        {
            _sources.Add((prefix, builder));
        }
    }

    public IReadOnlyList<(string Prefix, IEndpointRouteBuilder Builder)> Snapshot()
    {
        lock (_sources)
        {
            return _sources.ToArray();
        }
    }
}
