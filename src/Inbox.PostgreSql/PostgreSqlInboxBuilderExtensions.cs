using DingGen.Inbox.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DingGen;

/// <summary>Turns on the shared PostgreSQL inbox: several replicas of a host, one database.</summary>
public static class PostgreSqlInboxBuilderExtensions
{
    /// <summary>
    /// Turns the durable inbox on for the builder's app, stored in PostgreSQL (<see cref="PostgreSqlInboxOptions"/>, bound from the app
    /// section's <c>Inbox</c> sub-section: <c>DingGen:Inbox:ConnectionString</c>, <c>DingGen:Inbox:Schema</c>). Every replica of the host
    /// points at the same database: a delivery stored by one replica is a duplicate on all others, a claimed entry runs on one replica at a
    /// time, and an entry whose replica died runs on another once its lease (<see cref="DingInboxOptions.LeaseDuration"/>) expired. The
    /// replay guard's memory of accepted requests, the stream-connection lease and the failed-event recovery's record (handled and
    /// unfinished entries, <see cref="IDingRecoveryStore"/>) are kept in the same database, and a recovery runs on one replica at a time
    /// (<see cref="IDingRecoveryLock"/>, an advisory lock).
    /// </summary>
    /// <param name="builder">The app's builder: <c>services.AddDingGen(section).UsePostgreSqlInbox()</c>.</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The tables are created (and migrated) at start-up in the schema, under an advisory lock, so replicas may start together. One
    /// database serves every app of the host that turns the inbox on; its settings come from the first such app. Handlers must be
    /// idempotent on <see cref="DingEventContext.EventId"/>: delivery is at-least-once. See docs/scale-out.md.
    /// </remarks>
    public static DingGenBuilder UsePostgreSqlInbox(this DingGenBuilder builder, Action<PostgreSqlInboxOptions>? configure = null) =>
        Use(builder, null, configure);

    /// <summary>
    /// Turns the shared inbox on with a data source the application built (pooling, authentication, logging as it wishes); the
    /// connection-string setting is then not used. The data source is not disposed by DingGen. See
    /// <see cref="UsePostgreSqlInbox(DingGenBuilder, Action{PostgreSqlInboxOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <param name="dataSource">The database every replica shares. It must support arrays (<c>NpgsqlSlimDataSourceBuilder.EnableArrays()</c>, or a full <c>NpgsqlDataSourceBuilder</c>).</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>The builder.</returns>
    public static DingGenBuilder UsePostgreSqlInbox(this DingGenBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlInboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return Use(builder, dataSource, configure);
    }

    private static DingGenBuilder Use(DingGenBuilder builder, NpgsqlDataSource? dataSource, Action<PostgreSqlInboxOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var first = true;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(PostgreSqlDingStore))
            {
                first = false;
                break;
            }
        }

        if (first)
        {
            var section = builder.Configuration.GetSection("Inbox");
            var options = services.AddOptions<PostgreSqlInboxOptions>().Bind(section);
            if (configure is not null)
            {
                options.Configure(configure);
            }

            var prefix = section.Path + ":";
            var external = dataSource is not null;
            options.Validate(o => external || !string.IsNullOrWhiteSpace(o.ConnectionString), prefix + "ConnectionString is required: set it to the PostgreSQL database every replica shares (Host=…;Username=…;Password=…;Database=…).")
                .Validate(static o => PostgreSqlInboxOptions.IsValidSchema(o.Schema), prefix + "Schema must be a lowercase identifier: letters a-z, digits and underscores, at most 63 characters, not starting with a digit.")
                .Validate(static o => o.ReplicaId is null || (o.ReplicaId.Length is > 0 and <= 200 && !string.IsNullOrWhiteSpace(o.ReplicaId)), prefix + "ReplicaId must be 1 to 200 characters when set.")
                .ValidateOnStart();
            services.AddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<PostgreSqlInboxOptions>>().Value;
                return new PostgreSqlDingStore(dataSource, o);
            });
            services.AddSingleton(static sp => sp.GetRequiredService<PostgreSqlDingStore>().Inbox);
            services.AddSingleton<IDingInboxAdmin>(static sp => sp.GetRequiredService<PostgreSqlDingInbox>());
            services.AddSingleton<IHostedService>(static sp => new PostgreSqlSchemaInitializer(sp.GetRequiredService<PostgreSqlDingStore>()));
            services.TryAddSingleton<IDingReplayGuardStore>(static sp => new PostgreSqlReplayGuardStore(sp.GetRequiredService<PostgreSqlDingStore>()));
            services.TryAddSingleton<IDingStreamLease>(static sp => new PostgreSqlStreamLease(sp.GetRequiredService<PostgreSqlDingStore>()));

            // Added (not tried): whatever order AddFailedEventRecovery and this call come in, the last registration is the one resolved.
            services.AddSingleton<IDingRecoveryLock>(static sp => new PostgreSqlRecoveryLock(sp.GetRequiredService<PostgreSqlDingStore>().Schema));
        }

        // This app's failed-event recovery records in the shared database (the keyed store AddFailedEventRecovery resolves).
        var name = builder.Name;
        services.AddKeyedSingleton<IDingRecoveryStore>(name, (sp, _) =>
            new PostgreSqlRecoveryStore(sp.GetRequiredService<PostgreSqlDingStore>().Schema, name, sp.GetService<TimeProvider>()));
        return builder.UseInbox(static sp => sp.GetRequiredService<PostgreSqlDingInbox>());
    }
}

/// <summary>The shared database of one host: data source, schema, replica id; disposes the data source when it built it.</summary>
internal sealed class PostgreSqlDingStore : IAsyncDisposable
{
    private readonly bool _ownsDataSource;

    public PostgreSqlDingStore(NpgsqlDataSource? dataSource, PostgreSqlInboxOptions options)
    {
        _ownsDataSource = dataSource is null;
        var source = dataSource ?? PostgreSqlDataSources.Create(options.ConnectionString!);
        Schema = new PostgreSqlSchema(source, options.Schema);
        Inbox = new PostgreSqlDingInbox(Schema, ownsDataSource: false);
        ReplicaId = string.IsNullOrWhiteSpace(options.ReplicaId) ? PostgreSqlInboxOptions.DefaultReplicaId() : options.ReplicaId;
    }

    public PostgreSqlSchema Schema { get; }

    public PostgreSqlDingInbox Inbox { get; }

    public string ReplicaId { get; }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await Schema.DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Creates or migrates the schema when the host starts (before the inbox worker and the stream service run).</summary>
internal sealed class PostgreSqlSchemaInitializer(PostgreSqlDingStore store) : IHostedService
{
    /// <summary>
    /// Creates or migrates the schema. A database that cannot be reached stops the host from starting, with one message that says what
    /// to check: a host that could not store deliveries must not acknowledge any.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.Schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                "DingGen: the PostgreSQL inbox could not reach its database at start-up (" + ex.Message + "). Check DingGen:Inbox:ConnectionString " +
                "(host, port, credentials, database) and that the server accepts connections from this replica; the host does not start without " +
                "it, so no delivery is acknowledged that could not be stored.",
                ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
