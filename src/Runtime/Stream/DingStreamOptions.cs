using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Settings of DingTalk's Stream channel for one app, bound from the <c>Stream</c> sub-section of the app's section
/// (e.g. <c>DingGen:Stream:SilenceTimeout</c>, or <c>DingGen__Stream__SilenceTimeout</c>). Every setting has a default;
/// the credentials are the app's <see cref="DingGenOptions.AppKey"/> (client id) and <see cref="DingGenOptions.AppSecret"/>
/// (client secret). Validated at start-up; messages name the setting, never its value.
/// </summary>
public sealed class DingStreamOptions
{
    /// <summary>
    /// Whether stream mode is on for the app. <c>true</c> in configuration (<c>DingGen:Stream:Enabled</c>) makes <c>AddDingGen</c>
    /// turn it on, as <see cref="DingStreamBuilderExtensions.UseStreamMode"/> does; <c>UseStreamMode()</c> in code turns it
    /// on whatever this says. Default <see langword="false"/>. Read once, when <c>AddDingGen</c> runs.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>The default <see cref="GatewayAddress"/>.</summary>
    public const string DefaultGatewayAddress = "https://api.dingtalk.com";

    /// <summary>
    /// The base address of DingTalk's gateway API: a connection ticket is opened with
    /// <c>POST {GatewayAddress}/v1.0/gateway/connections/open</c>. Default <c>https://api.dingtalk.com</c>; tests point it at
    /// a fake gateway. The WebSocket endpoint itself comes from the ticket reply.
    /// </summary>
    public string GatewayAddress { get; set; } = DefaultGatewayAddress;

    /// <summary>
    /// A connection from which nothing at all (no frame, no WebSocket pong, no byte) has been received for this long is
    /// taken for a zombie: it is aborted and replaced with a new connection on a fresh ticket. Default 90 s. Must be larger
    /// than <see cref="KeepAliveInterval"/>: a healthy server answers the keep-alive pings, so a live connection is never silent that long.
    /// </summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How often the client sends a WebSocket PING when nothing else is sent (default 30 s). The server's PONG counts as
    /// "something received" for <see cref="SilenceTimeout"/>, and the WebSocket aborts itself when no PONG arrives within
    /// <see cref="SilenceTimeout"/>.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first delay before reconnecting after a failure (default 1 s); it grows exponentially with jitter.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two connection attempts (default 60 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many events of one connection are processed at the same time (default 16). When all are busy, the client
    /// stops reading further frames until one completes.
    /// </summary>
    public int MaxConcurrentEvents { get; set; } = 16;

    /// <summary>
    /// With several replicas sharing a stream-connection lease (<see cref="IDingStreamLease"/>, e.g. the PostgreSQL inbox): how long the
    /// holder's lease lasts without renewal (default 15 s). The holder renews it every third of this; when it dies, another replica
    /// takes the connection over within this time. A replica that shuts down releases the lease at once. Between 3 s and 10 minutes.
    /// </summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// With a shared stream-connection lease: let every replica hold its own connection instead of one at a time (default
    /// <see langword="false"/>). See docs/stream-mode.md for how DingTalk treats several connections of one app.
    /// </summary>
    public bool AllReplicas { get; set; }
}

/// <summary>Validates <see cref="DingStreamOptions"/> of the apps stream mode is on for.</summary>
internal sealed class DingStreamOptionsValidator : IValidateOptions<DingStreamOptions>
{
    private readonly DingGenAppRegistry _registry;

    public DingStreamOptionsValidator(DingGenAppRegistry registry)
    {
        _registry = registry;
    }

    public ValidateOptionsResult Validate(string? name, DingStreamOptions options)
    {
        name ??= Options.DefaultName;
        if (!_registry.IsStream(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = _registry.SettingPrefix(name) + "Stream:";
        List<string>? failures = null;
        if (!Uri.TryCreate(options.GatewayAddress, UriKind.Absolute, out var gateway) || (gateway.Scheme != Uri.UriSchemeHttps && gateway.Scheme != Uri.UriSchemeHttp))
        {
            Fail(ref failures, $"{prefix}GatewayAddress must be an absolute http(s) URL such as {DingStreamOptions.DefaultGatewayAddress}.");
        }

        if (options.SilenceTimeout < TimeSpan.FromSeconds(1) || options.SilenceTimeout > TimeSpan.FromHours(1))
        {
            Fail(ref failures, $"{prefix}SilenceTimeout must be between 00:00:01 and 01:00:00.");
        }

        if (options.KeepAliveInterval <= TimeSpan.Zero || options.KeepAliveInterval >= options.SilenceTimeout)
        {
            Fail(ref failures, $"{prefix}KeepAliveInterval must be positive and shorter than {prefix}SilenceTimeout (pings must be answered before the connection counts as silent).");
        }

        if (options.InitialReconnectDelay < TimeSpan.Zero || options.InitialReconnectDelay > options.MaxReconnectDelay)
        {
            Fail(ref failures, $"{prefix}InitialReconnectDelay must be between 00:00:00 and {prefix}MaxReconnectDelay.");
        }

        if (options.MaxReconnectDelay <= TimeSpan.Zero || options.MaxReconnectDelay > TimeSpan.FromHours(1))
        {
            Fail(ref failures, $"{prefix}MaxReconnectDelay must be between 00:00:00 (exclusive) and 01:00:00.");
        }

        if (options.MaxConcurrentEvents is < 1 or > 1024)
        {
            Fail(ref failures, $"{prefix}MaxConcurrentEvents must be between 1 and 1024.");
        }

        if (options.LeaseTimeout < TimeSpan.FromSeconds(3) || options.LeaseTimeout > TimeSpan.FromMinutes(10))
        {
            Fail(ref failures, $"{prefix}LeaseTimeout must be between 00:00:03 and 00:10:00.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Fail(ref List<string>? failures, string message) => (failures ??= new List<string>()).Add(message);
}
