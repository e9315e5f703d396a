using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>
/// What the ASP.NET Core adapters share: reading at most a processor's body cap (+ 1 byte, whatever Content-Length says) into a pooled
/// buffer, and writing a <see cref="DingCallbackResponse"/>. Everything about the protocol lives in the processors.
/// </summary>
internal static class DingHttpExchange
{
    private const int InitialBodyBuffer = 4096;

    /// <summary>
    /// Reads the request body, at most <paramref name="maxBodyBytes"/> + 1 bytes. A body announced or found larger than the cap, or one
    /// the server gave up on with 413, is <see cref="PooledBody.TooLarge"/>; one the server gave up on otherwise is empty (the processor
    /// answers it 400).
    /// </summary>
    public static async ValueTask<PooledBody> ReadBodyAsync(HttpRequest request, int maxBodyBytes)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return new PooledBody(null, 0, tooLarge: true);
        }

        // Start at the announced length (+1 to notice a body longer than announced), else small; grow up to the cap.
        var announced = request.ContentLength;
        var initial = ArrayPool<byte>.Shared.Rent(announced is { } n ? (int)n + 1 : Math.Min(InitialBodyBuffer, maxBodyBytes + 1));
        try
        {
            // ReadAsync owns the buffer until it returns: it gives it back to the pool itself when reading throws.
            var (buffer, length) = await ReadAsync(request.Body, initial, maxBodyBytes, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return new PooledBody(buffer, length, tooLarge: length > maxBodyBytes);
        }
        catch (BadHttpRequestException ex)
        {
            // The server gave up on the body (size limit, or a broken request): an empty body is answered 400 by the processors.
            return new PooledBody(null, 0, tooLarge: ex.StatusCode == StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>Writes the processor's answer: its status, <c>application/json</c> and the body.</summary>
    public static ValueTask<System.IO.Pipelines.FlushResult> WriteAsync(HttpResponse http, DingCallbackResponse response)
    {
        http.StatusCode = response.StatusCode;
        http.ContentType = DingCallbackResponse.ContentType;
        http.ContentLength = response.Body.Length;
        return http.BodyWriter.WriteAsync(response.Body, CancellationToken.None);
    }

    /// <summary>
    /// Reads the body into <paramref name="buffer"/>, growing it (from the pool) up to <paramref name="max"/> + 1 bytes. Returns the
    /// buffer in use and the bytes read; more than <paramref name="max"/> means the body is too large (reading stopped there).
    /// </summary>
    internal static async ValueTask<(byte[] Buffer, int Length)> ReadAsync(Stream body, byte[] buffer, int max, CancellationToken cancellationToken)
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

/// <summary>A request body read into a pooled buffer; <see cref="Dispose"/> gives the buffer back.</summary>
internal readonly struct PooledBody : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    public PooledBody(byte[]? buffer, int length, bool tooLarge)
    {
        _buffer = buffer;
        _length = length;
        TooLarge = tooLarge;
    }

    /// <summary>Whether the body exceeded the cap (nothing past the cap was read).</summary>
    public bool TooLarge { get; }

    /// <summary>The bytes read, at most the cap + 1.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Math.Min(_length, _buffer.Length));

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
