using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Reads everything the dashboard shows (<see cref="ReadAsync"/>) and runs its actions. Every source is optional: a panel whose
/// service is not registered (no server API client, inbox off, stream mode off) says so instead. DingTalk's server API is reached
/// through <see cref="DingTalkClientFactory"/> and the app's keyed <see cref="DingFailedEventRecovery"/>, resolved when present.
/// </summary>
internal sealed class DingDashboardService
{
    private const int MaxActions = 20;
    private const int RetryingCountLimit = 1000;

    private readonly IServiceProvider _services;
    private readonly DingDashboardDeliveryLog _deliveries;
    private readonly TimeProvider _time;
    private readonly DingDashboardOptions _options;
    private readonly ConcurrentDictionary<string, DingDashboardRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DingDashboardRecoveryRun> _recoveries = new(StringComparer.Ordinal);
    private readonly LinkedList<DingDashboardAction> _actions = new();

    public DingDashboardService(IServiceProvider services, DingDashboardDeliveryLog deliveries, TimeProvider time, IOptions<DingDashboardOptions> options)
    {
        _services = services;
        _deliveries = deliveries;
        _time = time;
        _options = options.Value;
    }

    /// <summary>The apps added with <c>AddDingGen</c>, default app first.</summary>
    public IReadOnlyCollection<string> AppNames => _services.GetService<DingGenAppRegistry>()?.AppNames ?? [];

    public async Task<DingDashboardStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var handled = _services.GetService<DingEventRouter>()?.HandledEventTypes.Order(StringComparer.Ordinal).ToArray() ?? [];
        var streamRegistry = _services.GetService<DingStreamStatusRegistry>();
        var streams = streamRegistry?.Snapshot().ToDictionary(static p => p.Key, static p => p.Value, StringComparer.Ordinal);
        var registry = _services.GetService<DingGenAppRegistry>();

        var apps = new List<DingDashboardApp>();
        foreach (var name in AppNames)
        {
            var recent = _deliveries.Recent(name, _options.DeliveriesPerApp);
            var lastHour = CountLastHour(name, now);
            DingDashboardStream? stream = null;
            if (registry?.IsStream(name) == true)
            {
                var display = DingGenServiceCollectionExtensions.DisplayName(name);
                var entry = streams is not null && (streams.TryGetValue(display, out var found) || streams.TryGetValue(name, out found)) ? found : null;
                stream = DescribeStream(entry, streamRegistry?.FindCounters(display) ?? streamRegistry?.FindCounters(name), now);
            }

            apps.Add(new DingDashboardApp
            {
                Name = name,
                DisplayName = name.Length == 0 ? "default app" : name,
                HandledEventTypes = handled,
                Registration = await ReadRegistrationAsync(name, handled, refresh: false, cancellationToken).ConfigureAwait(false),
                Stream = stream,
                Recovery = new DingDashboardRecovery
                {
                    Available = _services.GetKeyedService<DingFailedEventRecovery>(name) is not null,
                    LastRun = _recoveries.TryGetValue(name, out var run) ? run : null,
                },
                LastHour = lastHour,
                Recent = recent,
                RecentDeliveries = recent.Select(Describe).ToArray(),
            });
        }

        var perMinute = _deliveries.PerMinute(now);
        var firstMinute = DateTimeOffset.FromUnixTimeSeconds(((now.ToUnixTimeSeconds() / 60) - (DingDashboardDeliveryLog.Minutes - 1)) * 60);
        var minutes = new DingDashboardMinute[DingDashboardDeliveryLog.Minutes];
        for (var i = 0; i < minutes.Length; i++)
        {
            minutes[i] = new DingDashboardMinute { Minute = firstMinute.AddMinutes(i), Handled = perMinute[i, 0], NotHandled = perMinute[i, 1], Failed = perMinute[i, 2] };
        }

        return new DingDashboardStatus
        {
            GeneratedAt = now,
            Environment = _services.GetService<IHostEnvironment>()?.EnvironmentName ?? "unknown",
            Apps = apps,
            Inbox = await ReadInboxAsync(now, cancellationToken).ConfigureAwait(false),
            LastHour = minutes,
            Actions = SnapshotActions(),
        };
    }

    /// <summary>Runs <c>SyncCallbackAsync</c> for the app with its handled tags and the registered URL (or <paramref name="url"/> when none is registered).</summary>
    public async Task SyncAsync(string app, string? url, CancellationToken cancellationToken)
    {
        var handled = _services.GetService<DingEventRouter>()?.HandledEventTypes ?? [];
        try
        {
            var client = _services.GetService<DingTalkClientFactory>()?.Get(app)
                ?? throw new InvalidOperationException("No DingTalk server API client is registered: call AddDingTalkClient() on the app's AddDingGen(...) builder.");
            var target = string.IsNullOrWhiteSpace(url) ? null : url.Trim();
            if (target is null)
            {
                using var timeout = Timeout(cancellationToken);
                target = (await client.GetCallbackAsync(timeout.Token).ConfigureAwait(false))?.Url
                    ?? throw new InvalidOperationException("Nothing is registered at DingTalk yet: enter the public callback URL to register.");
            }

            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidOperationException("The callback URL must be an absolute http or https URL.");
            }

            using (var timeout = Timeout(cancellationToken))
            {
                var result = await client.SyncCallbackAsync(target, handled, timeout.Token).ConfigureAwait(false);
                var change = result.Action switch
                {
                    DingCallbackSyncAction.Registered => $"registered {target} with {handled.Count} tag(s)",
                    DingCallbackSyncAction.Updated => $"updated {target}: +{result.AddedTags.Count} / -{result.RemovedTags.Count} tag(s){(result.UrlChanged ? ", URL changed" : string.Empty)}{(result.KeysChanged ? ", keys changed" : string.Empty)}",
                    _ => "already in step: nothing changed",
                };
                Record("sync now", app, true, change);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or DingTalkApiException or HttpRequestException or OperationCanceledException)
        {
            Record("sync now", app, false, Message(ex));
        }

        _registrations.TryRemove(app, out _);
    }

    /// <summary>Runs the app's <see cref="DingFailedEventRecovery.RecoverAsync"/>.</summary>
    public async Task RecoverAsync(string app, CancellationToken cancellationToken)
    {
        var recovery = _services.GetKeyedService<DingFailedEventRecovery>(app);
        if (recovery is null)
        {
            Record("recover now", app, false, "Failed-event recovery is not registered: call AddFailedEventRecovery() on the app's AddDingGen(...) builder.");
            return;
        }

        try
        {
            var report = await recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
            var handled = report.Count(DingRecoveryOutcome.Handled) + report.Count(DingRecoveryOutcome.Enqueued);
            var failed = report.Count(DingRecoveryOutcome.Failed) + report.Count(DingRecoveryOutcome.InvalidEntry);
            var skipped = report.Entries.Count - handled - failed;
            _recoveries[app] = new DingDashboardRecoveryRun { At = _time.GetUtcNow(), Entries = report.Entries.Count, Handled = handled, Failed = failed, Skipped = skipped };
            Record("recover now", app, report.Succeeded, $"{report.Entries.Count} failed-list entr{(report.Entries.Count == 1 ? "y" : "ies")}: {handled} handled or enqueued, {failed} failed, {skipped} skipped or not handled");
        }
        catch (Exception ex) when (ex is InvalidOperationException or DingTalkApiException or HttpRequestException or OperationCanceledException)
        {
            _recoveries[app] = new DingDashboardRecoveryRun { At = _time.GetUtcNow(), Entries = 0, Handled = 0, Failed = 0, Skipped = 0, Error = Message(ex) };
            Record("recover now", app, false, Message(ex));
        }
    }

    /// <summary>Makes a dead (or pending) inbox entry due now and wakes the inbox worker.</summary>
    public async Task RetryAsync(long id, CancellationToken cancellationToken)
    {
        if (_services.GetService<IDingInboxAdmin>() is not { } admin)
        {
            Record("retry", "-", false, "The inbox has no administration service (IDingInboxAdmin).");
            return;
        }

        var record = await admin.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var retried = await admin.RetryAsync(id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _services.GetService<DingInboxSignal>()?.Notify();
        var app = record is null ? "-" : DisplayApp(record.Entry.AppName);
        Record("retry", app, retried, retried ? $"inbox entry {id} ({record!.Entry.EventType}) is due again" : $"inbox entry {id} does not exist or is done");
    }

    /// <summary>Deletes every dead inbox entry.</summary>
    public async Task PurgeAsync(CancellationToken cancellationToken)
    {
        if (_services.GetService<IDingInboxAdmin>() is not { } admin)
        {
            Record("purge", "-", false, "The inbox has no administration service (IDingInboxAdmin).");
            return;
        }

        var purged = await admin.PurgeDeadAsync(cancellationToken).ConfigureAwait(false);
        Record("purge", "-", true, $"{purged} dead letter(s) deleted");
    }

    /// <summary>Deletes the dead inbox entry <paramref name="id"/>.</summary>
    public async Task PurgeAsync(long id, CancellationToken cancellationToken)
    {
        if (_services.GetService<IDingInboxAdmin>() is not { } admin)
        {
            Record("purge", "-", false, "The inbox has no administration service (IDingInboxAdmin).");
            return;
        }

        var record = await admin.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var app = record is null ? "-" : DisplayApp(record.Entry.AppName);
        try
        {
            var purged = await admin.PurgeDeadAsync(id, cancellationToken).ConfigureAwait(false);
            Record("purge", app, purged, purged ? $"dead letter {id} ({record!.Entry.EventType}) deleted" : $"inbox entry {id} does not exist or is not a dead letter");
        }
        catch (NotSupportedException ex)
        {
            Record("purge", app, false, ex.Message);
        }
    }

    private async Task<DingDashboardRegistration> ReadRegistrationAsync(string app, IReadOnlyList<string> handled, bool refresh, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!refresh && _registrations.TryGetValue(app, out var cached) && cached.CheckedAt is { } at && now - at < _options.RegistrationCacheDuration)
        {
            return cached;
        }

        var factory = _services.GetService<DingTalkClientFactory>();
        if (factory is null)
        {
            return new DingDashboardRegistration { State = "not_configured" };
        }

        DingDashboardRegistration result;
        try
        {
            var client = factory.Get(app);
            using var timeout = Timeout(cancellationToken);
            var current = await client.GetCallbackAsync(timeout.Token).ConfigureAwait(false);
            if (current is null)
            {
                result = new DingDashboardRegistration { State = "not_registered", CheckedAt = now, MissingAtDingTalk = Registrable(handled) };
            }
            else
            {
                var registered = current.Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                var missing = Registrable(handled).Except(registered, StringComparer.Ordinal).ToArray();
                var extra = registered.Except(handled, StringComparer.Ordinal).ToArray();
                result = new DingDashboardRegistration
                {
                    State = missing.Length == 0 && extra.Length == 0 ? "in_sync" : "drift",
                    Url = current.Url,
                    RegisteredEventTypes = registered,
                    MissingAtDingTalk = missing,
                    NotHandled = extra,
                    CheckedAt = now,
                };
            }
        }
        catch (InvalidOperationException ex)
        {
            // No client for this app, or its AppKey/AppSecret are missing: the message names the setting.
            return new DingDashboardRegistration { State = "not_configured", Error = ex.Message };
        }
        catch (Exception ex) when (ex is DingTalkApiException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            result = new DingDashboardRegistration { State = "error", CheckedAt = now, Error = Message(ex) };
        }

        _registrations[app] = result;
        return result;
    }

    private async Task<DingDashboardInbox?> ReadInboxAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_services.GetService<DingInboxRegistration>() is not { AnyEnabled: true } || _services.GetService<IDingInbox>() is not { } inbox)
        {
            return null;
        }

        var admin = _services.GetService<IDingInboxAdmin>();
        try
        {
            var stats = await inbox.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            var retrying = admin is null ? 0 : (await admin.ListAsync(DingInboxState.Failed, RetryingCountLimit, cancellationToken).ConfigureAwait(false)).Count;
            var dead = admin is null ? [] : await admin.ListAsync(DingInboxState.Dead, _options.DeadLettersShown, cancellationToken).ConfigureAwait(false);
            return new DingDashboardInbox
            {
                Pending = stats.Pending,
                Retrying = retrying,
                Dead = stats.Dead,
                Done = stats.Done,
                OldestPendingReceivedAt = stats.OldestPendingReceivedAt,
                OldestPendingAgeSeconds = stats.OldestPendingReceivedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : null,
                Administrable = admin is not null,
                DeadLetters = dead.Select(static r => new DingDashboardDeadLetter
                {
                    Id = r.Id,
                    App = DisplayApp(r.Entry.AppName),
                    Channel = DingDelivery.NameOf(r.Entry.Channel),
                    EventType = r.Entry.EventType,
                    EventId = r.Entry.EventId,
                    ReceivedAt = r.Entry.ReceivedAt,
                    GaveUpAt = r.CompletedAt,
                    Attempts = r.Attempts,
                    LastError = r.LastError,
                }).ToArray(),
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new DingDashboardInbox { Pending = 0, Retrying = 0, Dead = 0, Administrable = admin is not null, DeadLetters = [], Error = Message(ex) };
        }
    }

    private static DingDashboardStream DescribeStream(DingStreamStatusRegistry.Entry? entry, DingStreamConnectionCounters? counters, DateTimeOffset now)
    {
        var replica = counters?.ReplicaId;
        var holder = entry?.Holder;
        var connection = counters is not { Leased: true } ? "every_replica"
            : holder is null ? "unknown"
            : string.Equals(holder, replica, StringComparison.Ordinal) ? "this_replica"
            : "other_replica";
        return new DingDashboardStream
        {
            State = entry?.State.ToString() ?? "NotStarted",
            Since = entry?.Since ?? now,
            LastError = entry?.LastError,
            LastFrameAt = counters?.LastFrameAt,
            Frames = counters?.Frames ?? 0,
            Reconnects = counters?.Reconnects ?? 0,
            Connection = connection,
            Replica = replica,
            Holder = holder,
        };
    }

    private DingDashboardCounts CountLastHour(string app, DateTimeOffset now)
    {
        // Per app from the ring (it holds the latest deliveries); the chart's per-minute buckets are host-wide.
        long handled = 0, notHandled = 0, failed = 0;
        foreach (var record in _deliveries.Recent(app, _deliveries.Capacity))
        {
            if (now - record.CompletedAt > TimeSpan.FromHours(1))
            {
                break;
            }

            switch (DingDashboardDeliveryLog.OutcomeIndex(record.Outcome))
            {
                case 0:
                    handled++;
                    break;
                case 2:
                    failed++;
                    break;
                default:
                    notHandled++;
                    break;
            }
        }

        return new DingDashboardCounts { Handled = handled, NotHandled = notHandled, Failed = failed };
    }

    private static DingDashboardDelivery Describe(DingDeliveryRecord record) => new()
    {
        CompletedAt = record.CompletedAt,
        Channel = record.Channel,
        EventType = record.EventType,
        EventId = record.EventId,
        Outcome = OutcomeName(record.Outcome),
        DurationMs = Math.Round(record.Duration.TotalMilliseconds, 2),
        FailedHandlers = record.FailedHandlers,
    };

    public static string OutcomeName(DingDispatchStatus status) => status switch
    {
        DingDispatchStatus.Handled => "handled",
        DingDispatchStatus.Failed => "failed",
        _ => "not_handled",
    };

    private static string[] Registrable(IReadOnlyList<string> handled) =>
        handled.Where(static t => !DingHandshakeEvents.Contains(t)).Order(StringComparer.Ordinal).ToArray();

    private static string DisplayApp(string name) => name.Length == 0 ? "default app" : name;

    private static string Message(Exception ex) => ex is OperationCanceledException ? "DingTalk did not answer in time." : ex.Message;

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_options.RemoteTimeout);
        return source;
    }

    private void Record(string action, string app, bool succeeded, string result)
    {
        lock (_actions)
        {
            _actions.AddFirst(new DingDashboardAction { At = _time.GetUtcNow(), Action = action, App = app.Length == 0 ? "default app" : app, Succeeded = succeeded, Result = result });
            while (_actions.Count > MaxActions)
            {
                _actions.RemoveLast();
            }
        }
    }

    private DingDashboardAction[] SnapshotActions()
    {
        lock (_actions)
        {
            return _actions.ToArray();
        }
    }
}
