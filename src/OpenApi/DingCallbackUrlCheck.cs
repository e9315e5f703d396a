using System.Globalization;
using System.Net;

namespace DingGen;

/// <summary>Why a callback host refused the pre-flight <c>check_url</c> (see <see cref="DingTalkClient.CheckCallbackUrlAsync"/>).</summary>
public enum DingCallbackUrlCheckProblem
{
    /// <summary>The host answered the encrypted <c>success</c>: DingTalk's own check will pass as far as the host is concerned.</summary>
    None = 0,

    /// <summary>The URL could not be reached from here (refused, no such host, TLS failure, or no answer in time).</summary>
    Unreachable = 1,

    /// <summary>The host answered 401 with errcode 900010: its OwnerKey is not the CorpId (or its AesKey differs).</summary>
    OwnerKeyNotCorpId = 2,

    /// <summary>The host answered 401 with errcode 900006 (or 900005): its Token differs from the one being registered.</summary>
    TokenDiffers = 3,

    /// <summary>The host answered 401 with errcode 900004, 900008 or 900009: its AesKey differs from the one being registered.</summary>
    AesKeyDiffers = 4,

    /// <summary>The host answered something else than the encrypted <c>success</c> (e.g. 404: nothing serves the callback at that path).</summary>
    NotSuccess = 5,
}

/// <summary>The result of a pre-flight <c>check_url</c> against a callback URL.</summary>
/// <param name="Url">The URL checked.</param>
/// <param name="Problem">Why the host refused, or <see cref="DingCallbackUrlCheckProblem.None"/>.</param>
/// <param name="StatusCode">The HTTP status the host answered, or <see langword="null"/> when it could not be reached.</param>
/// <param name="HostErrorCode">The <c>errcode</c> of the host's error body, if any.</param>
/// <param name="Message">One line saying what happened; never a key.</param>
/// <param name="Hint">What to do about it, or <see langword="null"/> when the host accepted.</param>
public sealed record DingCallbackUrlCheckResult(string Url, DingCallbackUrlCheckProblem Problem, HttpStatusCode? StatusCode, int? HostErrorCode, string Message, string? Hint)
{
    /// <summary>Whether the host answered the check as DingTalk requires.</summary>
    public bool Accepted => Problem == DingCallbackUrlCheckProblem.None;
}

/// <summary>
/// The callback host refused the pre-flight <c>check_url</c> that <see cref="DingTalkClient.SyncCallbackAsync"/> plays before
/// asking DingTalk to register, so DingTalk was not asked. <see cref="Exception.Message"/> says exactly why; <see cref="Hint"/> what to do.
/// </summary>
public sealed class DingCallbackUrlCheckException : Exception
{
    /// <summary>Creates the exception for a refused check.</summary>
    public DingCallbackUrlCheckException(DingCallbackUrlCheckResult result)
        : base(result is null ? "The callback URL check failed." : result.Message + (result.Hint is null ? string.Empty : " " + result.Hint))
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>What the host answered.</summary>
    public DingCallbackUrlCheckResult Result { get; }

    /// <summary>The one-line reason, without the hint.</summary>
    public string Reason => Result.Message;

    /// <summary>What to do about it.</summary>
    public string? Hint => Result.Hint;
}

/// <summary>Plays DingTalk's <c>check_url</c> handshake against a callback URL and judges the reply (the pre-flight check).</summary>
internal static class DingCallbackUrlCheck
{
    public static async Task<DingCallbackUrlCheckResult> RunAsync(HttpClient http, string url, string token, string aesKey, string corpId, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var simulator = new Testing.DingTalkSimulator(token, aesKey, corpId, time);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Testing.DingTalkDeliveryResult reply;
        try
        {
            reply = await simulator.PostAsync(http, url, """{"EventType":"check_url"}""", linked.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return Unreachable(url, ex.HttpRequestError + ": " + ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreachable(url, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s"));
        }

        if (reply.IsSuccessReply)
        {
            return new DingCallbackUrlCheckResult(url, DingCallbackUrlCheckProblem.None, reply.StatusCode, null, $"The host at {url} answered check_url with the encrypted success.", null);
        }

        var status = (int)reply.StatusCode;
        var answered = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}{(reply.ErrorCode is { } c ? $" with errcode {c}" : string.Empty)}");
        return reply.ErrorCode switch
        {
            900010 => new(url, DingCallbackUrlCheckProblem.OwnerKeyNotCorpId, reply.StatusCode, 900010,
                $"The host at {url} refused DingTalk's check_url ({answered}): the host's OwnerKey is not the CorpId.",
                $"Callbacks registered through the API are encrypted with the enterprise's CorpId ({corpId}) as owner key: set the host's DingGen:OwnerKey to it (not the AppKey). If it already is, the host's AesKey differs from the one being registered."),
            900006 or 900005 => new(url, DingCallbackUrlCheckProblem.TokenDiffers, reply.StatusCode, reply.ErrorCode,
                $"The host at {url} refused DingTalk's check_url ({answered}): the Token differs — the host verifies signatures with another Token than the one being registered.",
                "Register with the host's DingGen:Token, or give the host this Token."),
            900004 or 900008 or 900009 => new(url, DingCallbackUrlCheckProblem.AesKeyDiffers, reply.StatusCode, reply.ErrorCode,
                $"The host at {url} refused DingTalk's check_url ({answered}): the AesKey differs — the host decrypts with another AesKey than the one being registered.",
                "Register with the host's DingGen:AesKey, or give the host this AesKey."),
            _ => new(url, DingCallbackUrlCheckProblem.NotSuccess, reply.StatusCode, reply.ErrorCode,
                $"The host at {url} did not answer DingTalk's check_url with the encrypted success ({answered}).",
                status == 404
                    ? "Nothing serves the callback at that path: map it with MapDingCallback(\"<path>\") and register that exact URL."
                    : "The URL must reach a DingGen callback endpoint (MapDingCallback) whose Token and AesKey are the ones registered and whose OwnerKey is the CorpId."),
        };
    }

    private static DingCallbackUrlCheckResult Unreachable(string url, string detail) => new(
        url,
        DingCallbackUrlCheckProblem.Unreachable,
        null,
        null,
        $"The callback URL {url} is not reachable from here ({detail}).",
        "Start the host and check the URL; DingTalk must reach it too, so it must also be publicly reachable (not localhost or an intranet address).");
}
