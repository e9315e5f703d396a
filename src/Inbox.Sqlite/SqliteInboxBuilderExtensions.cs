using DingGen.Inbox.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Turns on the embedded SQLite inbox.</summary>
public static class SqliteInboxBuilderExtensions
{
    /// <summary>
    /// Turns the durable inbox on for the builder's app, stored in a local SQLite database
    /// (<see cref="SqliteInboxOptions"/>, bound from the app section's <c>Inbox</c> sub-section, e.g. <c>DingGen:Inbox:Path</c>; default
    /// <c>dinggen-inbox.db</c> in the content root). Every verified delivery of a handled event type is committed to the database before
    /// DingTalk is answered, then dispatched by a background worker with retries and a dead-letter state (<see cref="DingInboxOptions"/>).
    /// </summary>
    /// <param name="builder">The app's builder: <c>services.AddDingGen(section).UseSqliteInbox()</c>.</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// One database serves every app of the host that turns the inbox on; its settings come from the first such app. Handlers must be
    /// idempotent on <see cref="DingEventContext.EventId"/>: delivery is at-least-once.
    /// </remarks>
    public static DingGenBuilder UseSqliteInbox(this DingGenBuilder builder, Action<SqliteInboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var first = true;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(SqliteInboxMarker))
            {
                first = false;
                break;
            }
        }

        if (first)
        {
            services.AddSingleton(new SqliteInboxMarker());
            var section = builder.Configuration.GetSection("Inbox");
            var options = services.AddOptions<SqliteInboxOptions>().Bind(section);
            if (configure is not null)
            {
                options.Configure(configure);
            }

            var prefix = section.Path + ":";
            options.Validate(static o => !string.IsNullOrWhiteSpace(o.Path), prefix + "Path must not be blank: set it to the inbox database file.")
                .Validate(static o => o.BusyTimeout >= TimeSpan.Zero && o.BusyTimeout <= TimeSpan.FromMinutes(10), prefix + "BusyTimeout must be between 0 and 10 minutes.")
                .ValidateOnStart();
            services.AddSingleton(static sp =>
            {
                var o = sp.GetRequiredService<IOptions<SqliteInboxOptions>>().Value;
                var root = sp.GetService<IHostEnvironment>()?.ContentRootPath;
                var path = Path.IsPathRooted(o.Path) ? o.Path : Path.Combine(string.IsNullOrEmpty(root) ? AppContext.BaseDirectory : root, o.Path);
                return new SqliteDingInbox(path, o.BusyTimeout);
            });
            services.AddSingleton<IDingInboxAdmin>(static sp => sp.GetRequiredService<SqliteDingInbox>());
        }

        return builder.UseInbox(static sp => sp.GetRequiredService<SqliteDingInbox>());
    }

    private sealed class SqliteInboxMarker
    {
    }
}
