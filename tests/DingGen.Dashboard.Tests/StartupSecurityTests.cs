using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace DingGen.Dashboard.Tests;

/// <summary>Outside Development the host refuses an unprotected dashboard, and says how to protect it.</summary>
public sealed class StartupSecurityTests
{
    [Fact(Timeout = 60_000)]
    public async Task In_Production_without_authorization_the_host_does_not_start()
    {
        var directory = DashboardHost.TempDirectory();
        await using var app = DashboardHost.Build(Environments.Production, directory, new Uri("http://127.0.0.1:9/"), protect: null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("/dingtalk/dashboard has no authorization requirement", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequireAuthorization(", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous()", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task In_Production_an_explicit_choice_lets_the_host_start()
    {
        foreach (var protect in new Action<RouteGroupBuilder>[] { static g => g.AllowAnonymous(), static g => g.RequireAuthorization("operators") })
        {
            var directory = DashboardHost.TempDirectory();
            await using var app = DashboardHost.Build(Environments.Production, directory, new Uri("http://127.0.0.1:9/"), protect);
            await app.StartAsync();
            await app.StopAsync();
        }
    }
}
