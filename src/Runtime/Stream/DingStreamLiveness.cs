using System.Net.Sockets;

namespace DingGen;

/// <summary>
/// When anything was last received on a Stream connection, on the host's <see cref="TimeProvider"/>. Every byte read from
/// the network counts (frames, WebSocket pongs to the keep-alive pings, TLS records), so a connection is "silent" only when
/// the server sends nothing and answers no ping: the zombie case.
/// </summary>
internal sealed class DingStreamLiveness
{
    private readonly TimeProvider _time;
    private long _last;

    public DingStreamLiveness(TimeProvider time)
    {
        _time = time;
        _last = time.GetTimestamp();
    }

    public void Touch() => Volatile.Write(ref _last, _time.GetTimestamp());

    public TimeSpan Silence => _time.GetElapsedTime(Volatile.Read(ref _last));

    /// <summary>Opens the TCP connection of the WebSocket and wraps it so every read touches <paramref name="liveness"/>.</summary>
    public static async ValueTask<Stream> ConnectAsync(DingStreamLiveness liveness, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new ObservedStream(new NetworkStream(socket, ownsSocket: true), liveness);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A pass-through stream that touches the liveness clock whenever a read returns data.</summary>
    private sealed class ObservedStream : Stream
    {
        private readonly Stream _inner;
        private readonly DingStreamLiveness _liveness;

        public ObservedStream(Stream inner, DingStreamLiveness liveness)
        {
            _inner = inner;
            _liveness = liveness;
        }

        public override bool CanRead => _inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => _inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => Observe(_inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Observe(_inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Observe(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.WriteAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => _inner.DisposeAsync();

        private int Observe(int read)
        {
            if (read > 0)
            {
                _liveness.Touch();
            }

            return read;
        }
    }
}
