namespace DingGen;

/// <summary>
/// The <c>errcode</c> values of the callback endpoint's error bodies <c>{"errcode":…,"errmsg":"…"}</c> that are not
/// DingTalk crypto codes. Crypto failures use DingTalk's own codes (<see cref="DingCryptoErrorCode"/>): 900006 bad
/// signature and 900010 wrong owner key (HTTP 401), 900008 and 900009 malformed ciphertext (HTTP 400).
/// DingGen's own codes sit in the 9001xx range, next to DingTalk's 9000xx, and never change meaning.
/// </summary>
public enum DingCallbackErrorCode
{
    /// <summary>900101, HTTP 400: the query lacks <c>msg_signature</c>/<c>signature</c>, <c>timestamp</c>/<c>timeStamp</c> or <c>nonce</c>, or repeats one.</summary>
    InvalidQuery = 900101,

    /// <summary>900102, HTTP 400: the body is not a JSON object with one string member <c>encrypt</c>.</summary>
    MalformedBody = 900102,

    /// <summary>900103, HTTP 413: the body is larger than <see cref="DingGenOptions.MaxBodyBytes"/>.</summary>
    BodyTooLarge = 900103,

    /// <summary>900104, HTTP 400: the verified, decrypted payload is not a JSON object with a string <c>EventType</c>.</summary>
    InvalidPayload = 900104,

    /// <summary>900105, HTTP 500: a handler failed (DingTalk redelivers the event).</summary>
    HandlerFailed = 900105,

    /// <summary>900106, HTTP 500: the app's configuration is invalid (see the start-up validation messages).</summary>
    ConfigurationInvalid = 900106,

    /// <summary>
    /// 900111, HTTP 401: the replay guard (<see cref="DingGenOptions.ReplayGuard"/>) is on and the verified request's
    /// <c>timestamp</c> is neither 13 digits (milliseconds) nor 10 digits (seconds), or lies outside the tolerance.
    /// </summary>
    TimestampRejected = 900111,

    /// <summary>
    /// 900112, HTTP 401: the replay guard is on and a request with the same signature (so the same timestamp, nonce and
    /// body) was already accepted within the tolerance.
    /// </summary>
    ReplayRejected = 900112,

    /// <summary>900120, HTTP 500: the durable inbox could not store the verified event (DingTalk redelivers it); never answered <c>success</c>.</summary>
    InboxUnavailable = 900120,

    /// <summary>900130, HTTP 401: a robot or card callback lacks the <c>timestamp</c> or <c>sign</c> header, or repeats one.</summary>
    SignatureHeadersMissing = 900130,

    /// <summary>
    /// 900131, HTTP 401: a robot or card callback's <c>timestamp</c> header is not Unix milliseconds, or is more than
    /// <see cref="DingRobotSignature.MaxSkew"/> (one hour) from the host's clock, in either direction.
    /// </summary>
    SignatureTimestampRejected = 900131,

    /// <summary>900132, HTTP 403: a robot or card callback's <c>sign</c> header is not the app's signature (<see cref="DingRobotSignature"/>, key <c>AppSecret</c>).</summary>
    SignatureMismatch = 900132,

    /// <summary>
    /// 900133, HTTP 400: a verified robot message is not a JSON object with string <c>msgId</c> and <c>msgtype</c>, or a verified card
    /// callback is not a JSON object with a string <c>outTrackId</c>.
    /// </summary>
    InvalidInteraction = 900133,
}
