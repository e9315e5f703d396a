using Microsoft.Extensions.Logging;

namespace DingGen;

/// <summary>
/// The inbox's source-generated log messages (category <c>DingGen.Inbox</c>): entry ids, event types, dedup keys (DingTalk's event ids),
/// attempts and failure summaries; never a key, an envelope or a payload.
/// </summary>
internal static partial class DingInboxLog
{
    public const string Category = "DingGen.Inbox";

    [LoggerMessage(EventId = 101, EventName = "InboxWriteFailed", Level = LogLevel.Error,
        Message = "DingTalk event {EventType} for {App} could not be stored in the durable inbox; answered 500 so DingTalk redelivers. Check the inbox database (disk space, permissions, path).")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string eventType, string app);

    [LoggerMessage(EventId = 102, EventName = "InboxDuplicate", Level = LogLevel.Debug,
        Message = "DingTalk event {EventType} for {App} ({EventId}) is already in the inbox; answered success without storing it again.")]
    public static partial void Duplicate(ILogger logger, string eventType, string app, string eventId);

    [LoggerMessage(EventId = 103, EventName = "InboxAttemptFailed", Level = LogLevel.Warning,
        Message = "Inbox entry {EntryId} ({EventType} for {App}) failed attempt {Attempt} of {MaxAttempts}; next attempt at {NextAttemptAt:O}. {Error}")]
    public static partial void AttemptFailed(ILogger logger, long entryId, string eventType, string app, int attempt, int maxAttempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(EventId = 104, EventName = "InboxDeadLettered", Level = LogLevel.Error,
        Message = "Inbox entry {EntryId} ({EventType} for {App}) failed its last attempt ({Attempt}) and moved to the dead-letter state; retry it with 'dinggen inbox retry {EntryId}'. {Error}")]
    public static partial void DeadLettered(ILogger logger, long entryId, string eventType, string app, int attempt, string error);

    [LoggerMessage(EventId = 106, EventName = "InboxStoreFailed", Level = LogLevel.Error,
        Message = "The durable inbox failed during {Operation}; the worker retries in {RetryDelayMs} ms (entries whose state could not be recorded are dispatched again once their lease expires).")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string operation, double retryDelayMs);

    [LoggerMessage(EventId = 108, EventName = "InboxPurged", Level = LogLevel.Information,
        Message = "Inbox retention: deleted {Count} done entries completed before {CompletedBefore:O}.")]
    public static partial void Purged(ILogger logger, int count, DateTimeOffset completedBefore);

    [LoggerMessage(EventId = 109, EventName = "InboxWorkerStopped", Level = LogLevel.Information,
        Message = "Inbox worker stopped after finishing {InFlight} in-flight entries.")]
    public static partial void WorkerStopped(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 110, EventName = "InboxStaleLeasesReleased", Level = LogLevel.Warning,
        Message = "The durable inbox held {Count} entries claimed by a previous process that stopped without finishing them (a crash?); they run again now. Handlers may see them a second time: key side effects on DingEventContext.EventId.")]
    public static partial void StaleLeasesReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 111, EventName = "InboxStaleLeasesNotReleased", Level = LogLevel.Warning,
        Message = "Could not release the leases a previous process left in the durable inbox; those entries run again when their leases expire (Inbox:LeaseDuration).")]
    public static partial void StaleLeasesNotReleased(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 112, EventName = "InboxClaimsReleased", Level = LogLevel.Debug,
        Message = "Gave back {Count} claimed inbox entries that had not started ({Reason}); {Released} were still this worker's and are due again at once.")]
    public static partial void ClaimsReleased(ILogger logger, int count, int released, string reason);

    [LoggerMessage(EventId = 113, EventName = "InboxClaimsLeftToExpire", Level = LogLevel.Information,
        Message = "{Count} claimed inbox entries had not started ({Reason}); the inbox store cannot release leases, so they are due again when their leases end (within {LeaseSeconds} s).")]
    public static partial void ClaimsLeftToExpire(ILogger logger, int count, string reason, double leaseSeconds);
}
