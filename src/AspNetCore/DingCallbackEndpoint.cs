using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>
/// The ASP.NET Core adapter of <see cref="DingCallbackProcessor"/>: reads the query values and at most
/// <see cref="DingCallbackProcessor.MaxBodyBytes"/> + 1 bytes of the body (whatever Content-Length says), lets the processor answer,
/// and writes its status and JSON. Everything about the protocol lives in the processor.
/// </summary>
internal sealed class DingCallbackEndpoint
{
    private readonly DingCallbackProcessor _processor;

    public DingCallbackEndpoint(DingCallbackProcessor processor)
    {
        _processor = processor;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var query = http.Request.Query;
        using var body = await DingHttpExchange.ReadBodyAsync(http.Request, _processor.MaxBodyBytes).ConfigureAwait(false);

        // ASP.NET Core's query names are case-insensitive, so "timestamp" also finds DingTalk's "timeStamp".
        var request = new DingCallbackRequest(
            query.ContainsKey("msg_signature") ? Single(query, "msg_signature") : Single(query, "signature"),
            Single(query, "timestamp"),
            Single(query, "nonce"),
            body.Memory)
        {
            BodyTooLarge = body.TooLarge,
        };

        var response = await _processor.ProcessAsync(request, http.RequestAborted).ConfigureAwait(false);
        await DingHttpExchange.WriteAsync(http.Response, response).ConfigureAwait(false);
    }

    /// <summary>The value of <paramref name="name"/> when it occurs exactly once and is not empty.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
