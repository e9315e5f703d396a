using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DingGen;

/// <summary>Maps DingTalk's HTTP endpoints for chat robot messages and interactive card callbacks.</summary>
/// <remarks>
/// <para>Both endpoints answer <c>POST</c> only, with a plain JSON body signed in the headers: <c>timestamp</c> (Unix milliseconds)
/// and <c>sign</c> = Base64(HMAC-SHA256(AppSecret, timestamp + "\n" + AppSecret)) (<see cref="DingRobotSignature"/>), checked in
/// constant time with the app's <c>AppSecret</c> (<c>DingGen:AppSecret</c>, which becomes required at start-up).</para>
/// <list type="table">
/// <listheader><term>status</term><description>when (body)</description></listheader>
/// <item><term>200</term><description>the handlers ran, or none matched. Robot: <c>{}</c>; the replies the handlers returned are sent
/// through <see cref="IDingRobotReplySender"/> before the answer. Card: the handlers' card updates merged in handler order,
/// <c>{"cardData":{"cardParamMap":{…}},"privateData":{"&lt;userId&gt;":{"cardParamMap":{…}}}}</c>, or <c>{}</c>.</description></item>
/// <item><term>400</term><description>900133: the body is not a JSON object with <c>msgId</c> and <c>msgtype</c> (robot) or
/// <c>outTrackId</c> (card).</description></item>
/// <item><term>401</term><description>900130 <c>timestamp</c> or <c>sign</c> missing or repeated; 900131 the timestamp is not Unix
/// milliseconds, or is more than one hour from the server's clock (either direction).</description></item>
/// <item><term>403</term><description>900132: the signature does not match the app's <c>AppSecret</c>.</description></item>
/// <item><term>413</term><description>900103: body over <see cref="DingGenOptions.MaxBodyBytes"/>.</description></item>
/// <item><term>500</term><description>900105 a handler failed (DingTalk does not redeliver robot messages; the card is not updated);
/// 900106 the app's configuration is invalid.</description></item>
/// </list>
/// <para>Error bodies are <c>{"errcode":…,"errmsg":"…"}</c> (<see cref="DingCallbackErrorCode"/>). No handler runs for a rejected
/// request; the secret, the signature and the message text are never logged. Handlers receive the host's <c>ApplicationStopping</c>
/// token. The same handlers also receive stream mode's robot and card <c>CALLBACK</c> frames.</para>
/// </remarks>
public static class DingRobotEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the robot message endpoint of the default DingTalk app at <paramref name="pattern"/>, e.g.
    /// <c>app.MapDingRobot("/dingtalk/robot")</c>: the URL to enter as the robot's message receiving address (HTTP mode).
    /// </summary>
    /// <exception cref="InvalidOperationException">The app was not added, or no module has <see cref="DingRobotMessageAttribute"/> handlers.</exception>
    public static IEndpointConventionBuilder MapDingRobot(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern) =>
        MapDingRobot(endpoints, pattern, DingGenServiceCollectionExtensions.DefaultAppName);

    /// <summary>
    /// Maps the robot message endpoint of the DingTalk app <paramref name="name"/> (added with <c>services.AddDingGen(name, section)</c>)
    /// at <paramref name="pattern"/>; requests are verified with that app's <c>AppSecret</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="pattern">The route, e.g. <c>/dingtalk/robot</c>.</param>
    /// <param name="name">The app name given to <c>AddDingGen</c>.</param>
    /// <returns>The endpoint convention builder, to add metadata (rate limiting, host filters, …).</returns>
    /// <exception cref="InvalidOperationException">The app was not added, or no module has <see cref="DingRobotMessageAttribute"/> handlers.</exception>
    public static IEndpointConventionBuilder MapDingRobot(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, string name) =>
        Map(endpoints, pattern, name, DingInteractionKind.RobotMessage, "DingTalk robot");

    /// <summary>
    /// Maps the interactive card callback endpoint of the default DingTalk app at <paramref name="pattern"/>, e.g.
    /// <c>app.MapDingCardCallback("/dingtalk/card")</c>: the callback URL of the app's card templates (HTTP mode).
    /// </summary>
    /// <exception cref="InvalidOperationException">The app was not added, or no module has <see cref="DingCardCallbackAttribute"/> handlers.</exception>
    public static IEndpointConventionBuilder MapDingCardCallback(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern) =>
        MapDingCardCallback(endpoints, pattern, DingGenServiceCollectionExtensions.DefaultAppName);

    /// <summary>
    /// Maps the interactive card callback endpoint of the DingTalk app <paramref name="name"/> at <paramref name="pattern"/>; requests
    /// are verified with that app's <c>AppSecret</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="pattern">The route, e.g. <c>/dingtalk/card</c>.</param>
    /// <param name="name">The app name given to <c>AddDingGen</c>.</param>
    /// <returns>The endpoint convention builder.</returns>
    /// <exception cref="InvalidOperationException">The app was not added, or no module has <see cref="DingCardCallbackAttribute"/> handlers.</exception>
    public static IEndpointConventionBuilder MapDingCardCallback(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, string name) =>
        Map(endpoints, pattern, name, DingInteractionKind.CardCallback, "DingTalk card callback");

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, string name, DingInteractionKind kind, string displayName)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);

        var processor = new DingInteractionProcessor(endpoints.ServiceProvider, kind, name);
        var endpoint = new DingInteractionEndpoint(processor);
        RequestDelegate handler = endpoint.HandleAsync;
        return endpoints.MapPost(pattern, handler)
            .WithDisplayName(name.Length == 0 ? displayName : $"{displayName} ({name})");
    }
}
