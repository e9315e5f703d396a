using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>
/// The ASP.NET Core adapter of <see cref="DingCallbackProcessor"/>: reads the query values and at most
/// <see cref="DingCallbackProcessor.MaxBodyBytes"/> + 1 bytes of the body (whatever Content-Length says), lets the processor answer,
/// and writes its status and JSON. Everything about the protocol lives in the processor.
/// </summary>
internal sealed class DingCallbackEndpoint
{
    private const int InitialBodyBuffer = 4096;

    private readonly DingCallbackProcessor _processor;

    public DingCallbackEndpoint(DingCallbackProcessor processor)
    {
        _processor = processor;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var maxBodyBytes = _processor.MaxBodyBytes;
        byte[]? body = null;
        try
        {
            var length = 0;
            var tooLarge = http.Request.ContentLength > maxBodyBytes;
            if (!tooLarge)
            {
                // Start at the announced length (+1 to notice a body longer than announced), else small; grow up to the cap.
                var announced = http.Request.ContentLength;
                var initial = ArrayPool<byte>.Shared.Rent(announced is { } n ? (int)n + 1 : Math.Min(InitialBodyBuffer, maxBodyBytes + 1));
                try
                {
                    // ReadBodyAsync owns the buffer until it returns: it gives it back to the pool itself when reading throws.
                    (body, length) = await ReadBodyAsync(http.Request.Body, initial, maxBodyBytes, http.RequestAborted).ConfigureAwait(false);
                    tooLarge = length > maxBodyBytes;
                }
                catch (BadHttpRequestException ex)
                {
                    // The server gave up on the body (size limit, or a broken request): an empty body is answered 400/900102.
                    tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
                    length = 0;
                }
            }

            // ASP.NET Core's query names are case-insensitive, so "timestamp" also finds DingTalk's "timeStamp".
            var request = new DingCallbackRequest(
                query.ContainsKey("msg_signature") ? Single(query, "msg_signature") : Single(query, "signature"),
                Single(query, "timestamp"),
                Single(query, "nonce"),
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

    /// <summary>The value of <paramref name="name"/> when it occurs exactly once and is not empty.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>
    /// Reads the body into <paramref name="buffer"/>, growing it (from the pool) up to <paramref name="max"/> + 1 bytes. Returns the
    /// buffer in use and the bytes read; more than <paramref name="max"/> means the body is too large (reading stopped there).
    /// </summary>
    internal static async ValueTask<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, byte[] buffer, int max, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, max + 1L));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, total);
                }

                total += read;
                if (total > max)
                {
                    return (buffer, total);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
