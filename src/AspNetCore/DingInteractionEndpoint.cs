using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>
/// The ASP.NET Core adapter of <see cref="DingInteractionProcessor"/>: reads the <c>timestamp</c> and <c>sign</c> headers and at most
/// <see cref="DingInteractionProcessor.MaxBodyBytes"/> + 1 bytes of the body, lets the processor answer, and writes its status and JSON.
/// </summary>
internal sealed class DingInteractionEndpoint
{
    private const int InitialBodyBuffer = 4096;

    private readonly DingInteractionProcessor _processor;

    public DingInteractionEndpoint(DingInteractionProcessor processor)
    {
        _processor = processor;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var maxBodyBytes = _processor.MaxBodyBytes;
        byte[]? body = null;
        try
        {
            var length = 0;
            var tooLarge = http.Request.ContentLength > maxBodyBytes;
            if (!tooLarge)
            {
                var announced = http.Request.ContentLength;
                var initial = ArrayPool<byte>.Shared.Rent(announced is { } n ? (int)n + 1 : Math.Min(InitialBodyBuffer, maxBodyBytes + 1));
                try
                {
                    (body, length) = await DingCallbackEndpoint.ReadBodyAsync(http.Request.Body, initial, maxBodyBytes, http.RequestAborted).ConfigureAwait(false);
                    tooLarge = length > maxBodyBytes;
                }
                catch (BadHttpRequestException ex)
                {
                    tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
                    length = 0;
                }
            }

            var request = new DingInteractionRequest(
                Single(http.Request.Headers, "timestamp"),
                Single(http.Request.Headers, "sign"),
                body is null ? ReadOnlyMemory<byte>.Empty : body.AsMemory(0, Math.Min(length, body.Length)))
            {
                BodyTooLarge = tooLarge,
            };

            var response = await _processor.ProcessAsync(request, http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = response.StatusCode;
            http.Response.ContentType = DingCallbackResponse.ContentType;
            http.Response.ContentLength = response.Body.Length;
            await http.Response.BodyWriter.WriteAsync(response.Body, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
    }

    /// <summary>The value of header <paramref name="name"/> when it occurs exactly once and is not empty.</summary>
    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
