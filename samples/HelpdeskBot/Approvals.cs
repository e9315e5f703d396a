using System.Globalization;
using DingGen;

namespace HelpdeskBot;

/// <summary>What the helpdesk knows of one approval, read from DingTalk.</summary>
/// <param name="Id">The process instance id.</param>
/// <param name="Title">The approval's title.</param>
/// <param name="Status">DingTalk's status: <c>NEW</c>, <c>RUNNING</c>, <c>TERMINATED</c>, <c>COMPLETED</c> or <c>CANCELED</c>.</param>
/// <param name="Result"><c>agree</c> or <c>refuse</c> once finished.</param>
/// <param name="OriginatorUserId">Who started it.</param>
/// <param name="PendingApprovers">The approvers whose task is running now (empty once it is finished).</param>
/// <param name="FinishTime">When it finished.</param>
public sealed record ApprovalState(
    string Id,
    string Title,
    string Status,
    string? Result,
    string? OriginatorUserId,
    IReadOnlyList<string> PendingApprovers,
    DateTimeOffset? FinishTime)
{
    /// <summary>Whether someone can still be reminded: the approval runs and a task waits for an approver.</summary>
    public bool CanRemind => Status == "RUNNING" && PendingApprovers.Count > 0;

    /// <summary>The state in words, e.g. <c>waiting for manager7791</c> or <c>approved (agree) on 2024-06-01 11:30</c>.</summary>
    public string Describe() => Status switch
    {
        "NEW" => "submitted, not started yet",
        "RUNNING" when PendingApprovers.Count > 0 => "waiting for " + string.Join(", ", PendingApprovers),
        "RUNNING" => "running",
        "COMPLETED" => (Result == "refuse" ? "refused" : "approved") + FinishedOn(),
        "TERMINATED" => "withdrawn" + FinishedOn(),
        "CANCELED" => "cancelled" + FinishedOn(),
        _ => Status.ToLowerInvariant(),
    };

    private string FinishedOn() =>
        FinishTime is { } at ? " on " + at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC+8)" : string.Empty;
}

/// <summary>The outcome of <see cref="ApprovalDesk.LookUpAsync"/>.</summary>
public abstract record ApprovalLookup
{
    private ApprovalLookup()
    {
    }

    /// <summary>DingTalk answered with the approval.</summary>
    public sealed record Found(ApprovalState Approval) : ApprovalLookup;

    /// <summary>DingTalk refused to give it (unknown id, or one this app may not read): its own words.</summary>
    public sealed record NotFound(string Id, string Reason) : ApprovalLookup;

    /// <summary>DingTalk could not be asked (network, timeout, credentials): nothing is known about the approval.</summary>
    public sealed record Unavailable(string Id, string Reason) : ApprovalLookup;
}

/// <summary>
/// Reads approvals through DingTalk's server API (<see cref="DingTalkClient.GetProcessInstanceAsync"/>, <c>topapi/processinstance/get</c>)
/// and turns every failure into an answer a user can read: the robot never answers with an exception.
/// </summary>
public sealed partial class ApprovalDesk(DingTalkClient dingtalk, ILogger<ApprovalDesk> log)
{
    /// <summary>The longest id accepted: DingTalk's instance ids are UUIDs (36 characters); anything much longer is not one.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Reads approval <paramref name="id"/>.</summary>
    public async Task<ApprovalLookup> LookUpAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length > MaxIdLength || !id.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return new ApprovalLookup.NotFound(id, "that is not an approval id (letters, digits and '-' only)");
        }

        try
        {
            var instance = await dingtalk.GetProcessInstanceAsync(id, cancellationToken);
            var pending = instance.Tasks
                .Where(static task => task.Status == "RUNNING" && !string.IsNullOrEmpty(task.UserId))
                .Select(static task => task.UserId!)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            return new ApprovalLookup.Found(new ApprovalState(
                id,
                instance.Title ?? "(untitled)",
                instance.Status ?? "UNKNOWN",
                instance.Result,
                instance.OriginatorUserId,
                pending,
                instance.FinishTime));
        }
        catch (DingTalkApiException ex) when (!ex.IsAccessTokenError && ex.ErrorCode != DingTalkApiException.SystemBusyCode
            && ex.ErrorCode != DingTalkApiException.InvalidResponseCode)
        {
            // DingTalk does not document the errcode of an unknown instance: any refusal that is not about our credentials or
            // DingTalk's own health is reported as "not found", in DingTalk's words.
            LogNotFound(id, ex.ErrorCode, ex.ErrorMessage);
            return new ApprovalLookup.NotFound(id, $"DingTalk says \"{ex.ErrorMessage}\" (errcode {ex.ErrorCode.ToString(CultureInfo.InvariantCulture)})");
        }
        catch (Exception ex) when (ex is DingTalkApiException or HttpRequestException or TimeoutException)
        {
            LogUnavailable(ex, id);
            return new ApprovalLookup.Unavailable(id, "DingTalk could not be reached; try again in a minute");
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Approval {ApprovalId} not readable: errcode {ErrorCode} {ErrorMessage}")]
    private partial void LogNotFound(string approvalId, int errorCode, string errorMessage);

    [LoggerMessage(2, LogLevel.Warning, "Approval {ApprovalId} could not be read from DingTalk")]
    private partial void LogUnavailable(Exception exception, string approvalId);
}
