using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>
/// The ASP.NET Core adapter of <see cref="DingInteractionProcessor"/>: reads the <c>timestamp</c> and <c>sign</c> headers and at most
/// <see cref="DingInteractionProcessor.MaxBodyBytes"/> + 1 bytes of the body, lets the processor answer, and writes its status and JSON.
/// </summary>
internal sealed class DingInteractionEndpoint
{
    private readonly DingInteractionProcessor _processor;

    public DingInteractionEndpoint(DingInteractionProcessor processor)
    {
        _processor = processor;
    }

    public async Task HandleAsync(HttpContext http)
    {
        using var body = await DingHttpExchange.ReadBodyAsync(http.Request, _processor.MaxBodyBytes).ConfigureAwait(false);
        var request = new DingInteractionRequest(Single(http.Request.Headers, "timestamp"), Single(http.Request.Headers, "sign"), body.Memory)
        {
            BodyTooLarge = body.TooLarge,
        };

        var response = await _processor.ProcessAsync(request, http.RequestAborted).ConfigureAwait(false);
        await DingHttpExchange.WriteAsync(http.Response, response).ConfigureAwait(false);
    }

    /// <summary>The value of header <paramref name="name"/> when it occurs exactly once and is not empty.</summary>
    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
