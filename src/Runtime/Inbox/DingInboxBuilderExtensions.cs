using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Turns the durable inbox on for a DingTalk app.</summary>
public static class DingInboxBuilderExtensions
{
    /// <summary>
    /// Turns the durable inbox on for the builder's app, backed by the <see cref="IDingInbox"/> <paramref name="factory"/> creates
    /// (once per host; for the embedded SQLite inbox call <c>UseSqliteInbox()</c> from <c>DingGen.Inbox.Sqlite</c> instead). Every
    /// verified delivery of a handled event type is then stored before DingTalk is answered, and a background worker dispatches it with
    /// retries (<see cref="DingInboxOptions"/>, bound from the app section's <c>Inbox</c> sub-section).
    /// </summary>
    /// <param name="builder">The app's builder (from <c>AddDingGen</c>).</param>
    /// <param name="factory">Creates the inbox; used only by the first app that turns the inbox on (one inbox serves every app).</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The app then needs its <c>Token</c> and <c>AesKey</c> even when it only uses stream mode: stream deliveries are sealed with them
    /// before they are stored. Handlers must be idempotent on <see cref="DingEventContext.EventId"/>: delivery is at-least-once.
    /// </remarks>
    public static DingGenBuilder UseInbox(this DingGenBuilder builder, Func<IServiceProvider, IDingInbox> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var services = builder.Services;
        var registration = GetOrAddRegistration(services, out var first);
        registration.Enable(builder.Name);
        if (!first)
        {
            return builder;
        }

        var section = builder.Configuration.GetSection("Inbox");
        registration.SettingPrefix = section.Path + ":";
        services.AddOptions<DingInboxOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingInboxOptions>, DingInboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingGenOptions>, DingInboxAppOptionsValidator>());
        services.TryAddSingleton(factory);
        services.TryAddSingleton<DingInboxSignal>();
        services.TryAddSingleton<DingInboxOpenedMessages>();
        services.TryAddSingleton<DingInboxHandoff>();
        services.TryAddSingleton<DingInboxMetrics>();
        services.TryAddSingleton(static sp => new DingInboxWriter(sp));
        services.TryAddSingleton(static sp => new DingInboxWorker(sp));
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<DingInboxWorker>());
        return builder;
    }

    private static DingInboxRegistration GetOrAddRegistration(IServiceCollection services, out bool added)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(DingInboxRegistration) && descriptor.ImplementationInstance is DingInboxRegistration existing)
            {
                added = false;
                return existing;
            }
        }

        var registration = new DingInboxRegistration();
        services.AddSingleton(registration);
        added = true;
        return registration;
    }
}
