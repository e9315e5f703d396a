using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DingGen;

/// <summary>Maps DingTalk's HTTP push callback endpoint.</summary>
/// <remarks>
/// <para>The endpoint answers <c>POST</c> only. Every response is JSON:</para>
/// <list type="table">
/// <listheader><term>status</term><description>when (body)</description></listheader>
/// <item><term>200</term><description>a verified event, handled or not, or a <c>check_url</c> / <c>check_create_suite_url</c> /
/// <c>check_update_suite_url</c> validation: <c>{"msg_signature","timeStamp","nonce","encrypt"}</c>, the string <c>success</c>
/// encrypted with the owner key the request used, signed over the request's own timestamp and nonce.</description></item>
/// <item><term>400</term><description>query parameters missing or repeated (900101), body not <c>{"encrypt":"…"}</c> (900102),
/// ciphertext malformed (DingTalk's 900008 / 900009), decrypted payload not a JSON object with an <c>EventType</c> (900104).</description></item>
/// <item><term>401</term><description>bad signature (900006) or wrong owner key (900010), including the suite-creation placeholder key used
/// for anything but <c>check_create_suite_url</c>; with the opt-in replay guard, a stale or unreadable timestamp (900111) or a
/// request already accepted (900112).</description></item>
/// <item><term>413</term><description>body over <see cref="DingGenOptions.MaxBodyBytes"/> (900103).</description></item>
/// <item><term>500</term><description>a handler failed (900105; DingTalk redelivers), the app's configuration is invalid (900106), or the durable
/// inbox could not store the event (900120; DingTalk redelivers). With the inbox on, a verified event of a handled type is stored and answered
/// <c>success</c> at once (a redelivery too, without storing it again); handlers run later in the inbox worker (see <see cref="IDingInbox"/>).</description></item>
/// </list>
/// <para>Error bodies are <c>{"errcode":&lt;int&gt;,"errmsg":"…"}</c> (<see cref="DingCallbackErrorCode"/>, <see cref="DingCryptoErrorCode"/>).
/// No handler runs for a rejected request, and nothing secret or decrypted is logged. Handlers receive the host's
/// <c>ApplicationStopping</c> token, not the request's abort token. A callback slower than 1000 ms logs a warning
/// "DingTalk deadline at risk" with each handler's duration (DingTalk waits 1500 ms).</para>
/// </remarks>
public static class DingCallbackEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the callback endpoint of the default DingTalk app (added with <c>services.AddDingGen(section)</c>) at
    /// <paramref name="pattern"/>, e.g. <c>app.MapDingCallback("/dingtalk/callback")</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app was not added, or no <see cref="IDingEventDispatcher"/> is registered.</exception>
    public static IEndpointConventionBuilder MapDingCallback(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern) =>
        MapDingCallback(endpoints, pattern, DingGenServiceCollectionExtensions.DefaultAppName);

    /// <summary>
    /// Maps the callback endpoint of the DingTalk app <paramref name="name"/> (added with <c>services.AddDingGen(name, section)</c>)
    /// at <paramref name="pattern"/>. The app's <c>Token</c> and <c>AesKey</c> become required and are validated at start-up.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="pattern">The route, e.g. <c>/dingtalk/hr</c>.</param>
    /// <param name="name">The app name given to <c>AddDingGen</c>.</param>
    /// <returns>The endpoint convention builder, to add metadata (rate limiting, host filters, …).</returns>
    /// <exception cref="InvalidOperationException">The app was not added, or no <see cref="IDingEventDispatcher"/> is registered
    /// (the generated <c>services.AddDingEventHandlers()</c> registers one per assembly with <c>[DingEvent]</c> handlers).</exception>
    public static IEndpointConventionBuilder MapDingCallback(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);

        var processor = new DingCallbackProcessor(endpoints.ServiceProvider, name);
        var endpoint = new DingCallbackEndpoint(processor);
        RequestDelegate handler = endpoint.HandleAsync;
        return endpoints.MapPost(pattern, handler)
            .WithDisplayName(name.Length == 0 ? "DingTalk callback" : $"DingTalk callback ({name})");
    }
}
