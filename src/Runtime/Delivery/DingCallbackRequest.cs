namespace DingGen;

/// <summary>
/// An HTTP push as DingTalk sent it, without any web framework: the three query values and the body bytes. Build it with
/// <see cref="FromQuery"/> from whatever the host's query collection is, then hand it to <see cref="DingCallbackProcessor.ProcessAsync"/>.
/// </summary>
/// <param name="Signature">The <c>signature</c> (or <c>msg_signature</c>) query value; <see langword="null"/> when missing or given more than once.</param>
/// <param name="Timestamp">The <c>timestamp</c> query value (any case: DingTalk also writes <c>timeStamp</c>); <see langword="null"/> when missing or given more than once.</param>
/// <param name="Nonce">The <c>nonce</c> query value; <see langword="null"/> when missing or given more than once.</param>
/// <param name="Body">The request body, read with a cap of <see cref="DingCallbackProcessor.MaxBodyBytes"/> + 1 bytes (so a longer body is noticed).</param>
public readonly record struct DingCallbackRequest(string? Signature, string? Timestamp, string? Nonce, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// Set by a host that stopped reading because the body is longer than <see cref="DingCallbackProcessor.MaxBodyBytes"/> (for example
    /// from its Content-Length): answered 413/900103 whatever <see cref="Body"/> holds.
    /// </summary>
    public bool BodyTooLarge { get; init; }

    /// <summary>
    /// Picks the three values out of a query, one pair per occurrence (a name given twice appears twice). A value given more than once,
    /// or empty, counts as missing, and so is rejected with 400/900101: DingTalk sends each exactly once.
    /// </summary>
    /// <param name="query">The query's name/value pairs, e.g. <c>request.QueryString</c> of an <c>HttpListenerRequest</c>.</param>
    /// <param name="body">The body bytes (see <see cref="Body"/>).</param>
    public static DingCallbackRequest FromQuery(IEnumerable<KeyValuePair<string, string?>> query, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(query);
        Slot signature = default, timestamp = default, nonce = default;
        foreach (var (name, value) in query)
        {
            // Names compare case-insensitively, as HTTP frameworks' query collections do: timestamp and timeStamp are one name.
            if (string.Equals(name, "msg_signature", StringComparison.OrdinalIgnoreCase))
            {
                signature.Primary(value);
            }
            else if (string.Equals(name, "signature", StringComparison.OrdinalIgnoreCase))
            {
                signature.Fallback(value);
            }
            else if (string.Equals(name, "timestamp", StringComparison.OrdinalIgnoreCase))
            {
                timestamp.Primary(value);
            }
            else if (string.Equals(name, "nonce", StringComparison.OrdinalIgnoreCase))
            {
                nonce.Primary(value);
            }
        }

        return new DingCallbackRequest(signature.Value, timestamp.Value, nonce.Value, body);
    }

    /// <summary>One query value with its alternative spelling: the first spelling wins when present; either must occur exactly once.</summary>
    private struct Slot
    {
        private int _primaryCount;
        private string? _primary;
        private int _fallbackCount;
        private string? _fallback;

        public readonly string? Value => _primaryCount > 0
            ? (_primaryCount == 1 && !string.IsNullOrEmpty(_primary) ? _primary : null)
            : (_fallbackCount == 1 && !string.IsNullOrEmpty(_fallback) ? _fallback : null);

        public void Primary(string? value)
        {
            _primaryCount++;
            _primary = value;
        }

        public void Fallback(string? value)
        {
            _fallbackCount++;
            _fallback = value;
        }
    }
}

/// <summary>What to answer DingTalk: an HTTP status and a JSON body (content type <c>application/json</c>).</summary>
/// <param name="StatusCode">200 for the encrypted <c>success</c> reply; 4xx/5xx with <c>{"errcode","errmsg"}</c> otherwise.</param>
/// <param name="Body">The UTF-8 JSON body.</param>
public readonly record struct DingCallbackResponse(int StatusCode, ReadOnlyMemory<byte> Body)
{
    /// <summary>The content type of every <see cref="Body"/>.</summary>
    public const string ContentType = "application/json";
}
