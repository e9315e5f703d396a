using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen;

/// <summary>Configures DingGen after <c>AddDingGen</c>: JSON contexts for user payload types, modules, channels.</summary>
public sealed class DingGenBuilder
{
    internal DingGenBuilder(IServiceCollection services, string name, IConfiguration configuration)
    {
        Services = services;
        Name = name;
        Configuration = configuration;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The name of the DingTalk app this builder configures (<see cref="DingGenServiceCollectionExtensions.DefaultAppName"/> unless named).</summary>
    public string Name { get; }

    /// <summary>
    /// The configuration section this app's <see cref="DingGenOptions"/> are bound from. Channel extensions (stream mode,
    /// the inbox, the OpenAPI client) bind their own settings from sub-sections of it.
    /// </summary>
    public IConfiguration Configuration { get; }

    /// <summary>
    /// Registers a source-generated <see cref="JsonSerializerContext"/> that knows the payload types of your own handlers
    /// (<c>[DingPayload]</c> parameters and <c>DingCustomEvent</c> types). It is chained after the catalogue's context,
    /// with DingTalk's parsing rules.
    /// </summary>
    public DingGenBuilder AddJsonContext(JsonSerializerContext context)
    {
        Services.AddDingJsonContext(context);
        return this;
    }

    /// <summary>
    /// Configures this app's <see cref="DingGenOptions"/> in code, after configuration binding (e.g. secrets from a vault).
    /// Start-up validation applies to the result.
    /// </summary>
    public DingGenBuilder Configure(Action<DingGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(Name, configure);
        return this;
    }

    /// <summary>Adds the handlers of another assembly through its generated module type.</summary>
    public DingGenBuilder AddModule<TModule>()
        where TModule : IDingModule
    {
        Services.AddDingModule<TModule>();
        return this;
    }
}
