using System.Text.Json.Serialization;

namespace DingGen;

/// <summary>What the dashboard shows, read once per request: the HTML page and <c>api/status</c> render the same snapshot.</summary>
internal sealed class DingDashboardStatus
{
    public required DateTimeOffset GeneratedAt { get; init; }

    public required string Environment { get; init; }

    public required IReadOnlyList<DingDashboardApp> Apps { get; init; }

    /// <summary><see langword="null"/> when the durable inbox is off.</summary>
    public DingDashboardInbox? Inbox { get; init; }

    /// <summary>Deliveries per minute over the last hour, all apps; oldest first.</summary>
    public required IReadOnlyList<DingDashboardMinute> LastHour { get; init; }

    /// <summary>The operator actions of this process, newest first.</summary>
    public required IReadOnlyList<DingDashboardAction> Actions { get; init; }
}

internal sealed class DingDashboardApp
{
    /// <summary>The <c>AddDingGen</c> name; empty for the default app.</summary>
    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public required IReadOnlyList<string> HandledEventTypes { get; init; }

    public required DingDashboardRegistration Registration { get; init; }

    /// <summary><see langword="null"/> when stream mode is off for the app.</summary>
    public DingDashboardStream? Stream { get; init; }

    public required DingDashboardRecovery Recovery { get; init; }

    public required DingDashboardCounts LastHour { get; init; }

    [JsonIgnore]
    public IReadOnlyList<DingDeliveryRecord> Recent { get; init; } = [];

    /// <summary>The latest deliveries (metadata only).</summary>
    public required IReadOnlyList<DingDashboardDelivery> RecentDeliveries { get; init; }
}

internal sealed class DingDashboardRegistration
{
    /// <summary><c>in_sync</c>, <c>drift</c>, <c>not_registered</c>, <c>not_configured</c> (no server API client) or <c>error</c>.</summary>
    public required string State { get; init; }

    public string? Url { get; init; }

    public IReadOnlyList<string>? RegisteredEventTypes { get; init; }

    /// <summary>Handled but not registered at DingTalk: DingTalk never sends them.</summary>
    public IReadOnlyList<string> MissingAtDingTalk { get; init; } = [];

    /// <summary>Registered at DingTalk but handled by no module: DingTalk sends them for nothing.</summary>
    public IReadOnlyList<string> NotHandled { get; init; } = [];

    public DateTimeOffset? CheckedAt { get; init; }

    public string? Error { get; init; }
}

internal sealed class DingDashboardStream
{
    public required string State { get; init; }

    public required DateTimeOffset Since { get; init; }

    public string? LastError { get; init; }

    /// <summary>When the last frame arrived on any of the app's connections (pings included); <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastFrameAt { get; init; }

    /// <summary>Frames received since the host started.</summary>
    public long Frames { get; init; }

    /// <summary>Connections replaced (lost, or rotated on the gateway's <c>disconnect</c>) since the host started.</summary>
    public long Reconnects { get; init; }

    /// <summary>
    /// Who holds the app's connection: <c>this_replica</c>, <c>other_replica</c> (this one stands by), <c>unknown</c> (the lease was
    /// not read yet) — with a shared stream-connection lease — or <c>every_replica</c> (no lease: every replica connects).
    /// </summary>
    public required string Connection { get; init; }

    /// <summary>This host's replica id, when a stream-connection lease is registered.</summary>
    public string? Replica { get; init; }

    /// <summary>The replica holding the lease, when known.</summary>
    public string? Holder { get; init; }
}

internal sealed class DingDashboardRecovery
{
    /// <summary>Whether <c>AddFailedEventRecovery</c> was called for the app (the "recover now" action).</summary>
    public required bool Available { get; init; }

    /// <summary>The last recovery run from this dashboard, when any.</summary>
    public DingDashboardRecoveryRun? LastRun { get; init; }
}

internal sealed class DingDashboardRecoveryRun
{
    public required DateTimeOffset At { get; init; }

    /// <summary>Entries DingTalk listed as failed in that run.</summary>
    public required int Entries { get; init; }

    public required int Handled { get; init; }

    public required int Failed { get; init; }

    public required int Skipped { get; init; }

    public string? Error { get; init; }
}

internal sealed class DingDashboardCounts
{
    public long Handled { get; init; }

    public long NotHandled { get; init; }

    public long Failed { get; init; }
}

internal sealed class DingDashboardMinute
{
    public required DateTimeOffset Minute { get; init; }

    public long Handled { get; init; }

    public long NotHandled { get; init; }

    public long Failed { get; init; }
}

internal sealed class DingDashboardDelivery
{
    public required DateTimeOffset CompletedAt { get; init; }

    public required string Channel { get; init; }

    public required string EventType { get; init; }

    public required string EventId { get; init; }

    /// <summary><c>handled</c>, <c>not_handled</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }

    public required double DurationMs { get; init; }

    public required IReadOnlyList<string> FailedHandlers { get; init; }
}

internal sealed class DingDashboardInbox
{
    public required long Pending { get; init; }

    /// <summary>Pending entries that failed at least once (counted up to 1000).</summary>
    public required long Retrying { get; init; }

    public required long Dead { get; init; }

    /// <summary>Done entries kept for deduplication, counted up to <see cref="DingInboxStats.DoneCountLimit"/>; <see langword="null"/> when the store does not count them.</summary>
    public long? Done { get; init; }

    public DateTimeOffset? OldestPendingReceivedAt { get; init; }

    public double? OldestPendingAgeSeconds { get; init; }

    /// <summary>Whether <see cref="IDingInboxAdmin"/> is registered (the retry and purge actions, the dead-letter list).</summary>
    public required bool Administrable { get; init; }

    public required IReadOnlyList<DingDashboardDeadLetter> DeadLetters { get; init; }

    public string? Error { get; init; }
}

internal sealed class DingDashboardDeadLetter
{
    public required long Id { get; init; }

    public required string App { get; init; }

    public required string Channel { get; init; }

    public required string EventType { get; init; }

    public required string EventId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? GaveUpAt { get; init; }

    public required int Attempts { get; init; }

    public string? LastError { get; init; }
}

internal sealed class DingDashboardAction
{
    public required DateTimeOffset At { get; init; }

    public required string Action { get; init; }

    public required string App { get; init; }

    public required bool Succeeded { get; init; }

    public required string Result { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DingDashboardStatus))]
internal sealed partial class DingDashboardJsonContext : JsonSerializerContext
{
}
