namespace DingGen;

/// <summary>A verified delivery to store in the inbox (<see cref="IDingInbox.AddAsync"/>).</summary>
public sealed class DingInboxEntry
{
    /// <summary>The DingTalk app (its <c>AddDingGen</c> name; empty for the default app) whose keys sealed <see cref="Envelope"/>.</summary>
    public required string AppName { get; init; }

    /// <summary>How the delivery arrived.</summary>
    public DingDeliveryChannel Channel { get; init; } = DingDeliveryChannel.HttpPush;

    /// <summary>The event tag, e.g. <c>bpms_instance_change</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>
    /// The key duplicates are recognised by, unique per app: <c>&lt;EventType&gt;:&lt;EventId&gt;</c>, where the event id is DingTalk's
    /// (<c>eventId</c>, <c>BizId</c>, or the stream header <c>eventId</c>) or else <c>sha256-</c> and the hex SHA-256 of the plaintext.
    /// </summary>
    public required string DedupKey { get; init; }

    /// <summary>The event id handlers see as <see cref="DingEventContext.EventId"/> (the dedup key without its event-type prefix).</summary>
    public required string EventId { get; init; }

    /// <summary>The organisation the event belongs to, when known.</summary>
    public string? CorpId { get; init; }

    /// <summary>When the host received the delivery.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The sealed delivery.</summary>
    public required DingSealedMessage Envelope { get; init; }
}

/// <summary>An entry as stored in the inbox, with its processing state.</summary>
public sealed class DingInboxRecord
{
    /// <summary>The inbox's id of the entry (what <c>dinggen inbox show &lt;id&gt;</c> takes).</summary>
    public required long Id { get; init; }

    /// <summary>The stored delivery.</summary>
    public required DingInboxEntry Entry { get; init; }

    /// <summary>The state.</summary>
    public required DingInboxState State { get; init; }

    /// <summary>Attempts started so far (a claim counts one, so a claimed entry's first dispatch is attempt 1).</summary>
    public int Attempts { get; init; }

    /// <summary>When the entry is next due (pending entries).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Until when a worker holds it, when leased.</summary>
    public DateTimeOffset? LeasedUntil { get; init; }

    /// <summary>When it was completed (done) or given up (dead).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The summary of the last failure: exception types and messages of the failed handlers, never a payload.</summary>
    public string? LastError { get; init; }
}

/// <summary>Inbox counts for metrics and health checks.</summary>
/// <param name="Pending">Entries waiting or being processed (the queue depth).</param>
/// <param name="Dead">Entries in the dead-letter state.</param>
/// <param name="OldestPendingReceivedAt">When the oldest pending entry was received, or <see langword="null"/> when none is pending.</param>
public sealed record DingInboxStats(long Pending, long Dead, DateTimeOffset? OldestPendingReceivedAt)
{
    /// <summary>The most done entries a store counts for <see cref="Done"/> (the count stays cheap however many are kept).</summary>
    public const int DoneCountLimit = 10_000;

    /// <summary>
    /// Done entries kept for deduplication, counted up to <see cref="DoneCountLimit"/>; <see langword="null"/> when the store does
    /// not count them.
    /// </summary>
    public long? Done { get; init; }
}
