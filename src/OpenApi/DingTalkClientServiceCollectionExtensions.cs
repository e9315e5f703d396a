using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>Registration of <see cref="DingTalkClient"/>, DingTalk's server API client.</summary>
public static class DingTalkClientServiceCollectionExtensions
{
    /// <summary>The configuration sub-section of an app's DingGen section the client settings are bound from: <c>OpenApi</c>.</summary>
    public const string ConfigurationSectionName = "OpenApi";

    /// <summary>
    /// Adds a <see cref="DingTalkClient"/> for the app of <paramref name="builder"/>. Its AppKey, AppSecret, Token and AesKey come
    /// from the app's <see cref="DingGenOptions"/>; <c>BaseAddress</c>, <c>MaxTransientRetries</c>, <c>RetryBaseDelay</c> and
    /// <c>TokenRefreshMargin</c>, <c>CallTimeout</c> and <c>CorpId</c> are bound from the <c>OpenApi</c> sub-section (e.g.
    /// <c>DingGen:OpenApi:BaseAddress</c>). Every app's client is a keyed singleton <see cref="DingTalkClient"/> service with the app
    /// name as key; the default app's is also the plain <see cref="DingTalkClient"/> service. <see cref="DingTalkClientFactory.Get"/>
    /// looks them up with a clear error for an app without a client. It also gives the <see cref="IDingRobotReplySender"/> of
    /// <c>AddDingGen</c> the robot send API, for replies after a message's session webhook expired and for interactive cards.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDingGen</c>.</param>
    /// <param name="configure">Changes the options in code, after configuration (e.g. a base address in tests).</param>
    /// <returns>The builder.</returns>
    /// <remarks>AppKey and AppSecret are checked when the client is first resolved; the error names the missing setting.</remarks>
    public static DingGenBuilder AddDingTalkClient(this DingGenBuilder builder, Action<DingTalkClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var name = builder.Name;

        services.AddHttpClient(DingTalkClientFactory.HttpClientName(name));
        var options = services.AddOptions<DingTalkClientOptions>(name)
            .Bind(builder.Configuration.GetSection(ConfigurationSectionName))
            .Configure<IOptionsMonitor<DingGenOptions>>((client, apps) =>
            {
                var app = apps.Get(name);
                client.AppKey = string.IsNullOrEmpty(client.AppKey) ? app.AppKey : client.AppKey;
                client.AppSecret = string.IsNullOrEmpty(client.AppSecret) ? app.AppSecret : client.AppSecret;
                client.Token = string.IsNullOrEmpty(client.Token) ? app.Token : client.Token;
                client.AesKey = string.IsNullOrEmpty(client.AesKey) ? app.AesKey : client.AesKey;
                if (string.IsNullOrEmpty(client.CorpId) && !string.IsNullOrEmpty(app.OwnerKey) && !string.Equals(app.OwnerKey, client.AppKey, StringComparison.Ordinal))
                {
                    client.CorpId = app.OwnerKey;
                }
            });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DingTalkClientOptions>, DingTalkClientOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new DingTalkClientAppRegistration(name));
        services.TryAddKeyedSingleton(name, static (sp, key) => DingTalkClientFactory.Create(sp, (string)key!));
        services.TryAddSingleton(static sp => new DingTalkClientFactory(sp, sp.GetServices<DingTalkClientAppRegistration>()));
        // The robot send API behind the core's IDingRobotReplySender (replies after the session webhook expired, interactive cards).
        services.TryAddSingleton<IDingRobotApi>(static sp => new DingTalkRobotApi(sp, sp.GetServices<DingTalkClientAppRegistration>()));
        if (name.Length == 0)
        {
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<DingTalkClient>(DingGenServiceCollectionExtensions.DefaultAppName));
        }

        return builder;
    }
}
