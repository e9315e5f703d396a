using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen;

/// <summary>The Stream part of DingGen's health check: each stream app's connection state.</summary>
internal static class DingStreamHealth
{
    /// <summary>
    /// Adds <c>stream:&lt;app&gt;</c> entries (the connection state) to <paramref name="data"/>; returns a description when a
    /// Stream connection is not open (the check is then degraded), else <see langword="null"/>.
    /// </summary>
    public static string? Describe(IServiceProvider services, Dictionary<string, object> data)
    {
        if (services.GetService<DingStreamStatusRegistry>() is not { } registry)
        {
            return null;
        }

        StringBuilder? problems = null;
        foreach (var (app, entry) in registry.Snapshot())
        {
            data["stream:" + app] = entry.State.ToString();
            if (entry.Holder is not null)
            {
                data["stream:" + app + ":holder"] = entry.Holder;
            }

            // A standby replica is healthy: another replica holds the app's one connection.
            if (entry.State is DingStreamConnectionState.Connected or DingStreamConnectionState.Standby)
            {
                continue;
            }

            problems ??= new StringBuilder();
            problems.Append(CultureInfo.InvariantCulture, $"Stream connection of {app} is {entry.State} since {entry.Since:O}");
            if (entry.LastError is not null)
            {
                problems.Append(" (").Append(entry.LastError).Append(')');
            }

            problems.Append(". ");
        }

        return problems?.ToString().TrimEnd();
    }
}
