using System.Globalization;
using DingGen;

namespace ApprovalHost;

/// <summary>
/// Management commands of the approval host, run as the first argument instead of serving:
/// <c>register &lt;url&gt;</c>, <c>status</c>, <c>unregister</c>, <c>recover-failed</c>. They use the same configuration as the host
/// (AppKey, AppSecret, Token, AesKey), so the tags registered with DingTalk are always the ones this build handles.
/// </summary>
internal static class Commands
{
    public static readonly string[] Names = ["register", "status", "unregister", "recover-failed"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Runs the command named by <c>args[0]</c> against the built (not started) host.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var client = app.Services.GetRequiredService<DingTalkClient>();
        var handled = app.Services.GetRequiredService<DingEventRouter>().HandledEventTypes;
        try
        {
            switch (args[0])
            {
                case "register":
                    if (args.Length < 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out _))
                    {
                        Console.Error.WriteLine("usage: ApprovalHost register <callback url>, e.g. https://example.com/dingtalk/callback");
                        return 2;
                    }

                    PrintSync(await client.SyncCallbackAsync(args[1], handled), args[1]);
                    return 0;
                case "status":
                    PrintStatus(await client.GetCallbackAsync(), handled);
                    return 0;
                case "unregister":
                    await client.DeleteCallbackAsync();
                    Console.WriteLine("Callback deleted: DingTalk stops pushing events to this app's URL.");
                    return 0;
                default:
                    var report = await app.Services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
                    PrintRecovery(report);
                    return report.Succeeded ? 0 : 1;
            }
        }
        catch (DingTalkApiException e)
        {
            Console.Error.WriteLine($"error {e.ErrorCode}: {e.ErrorMessage}{(e.Hint is null ? string.Empty : " — " + e.Hint)}");
            return 2;
        }
    }

    /// <summary>Prints what <see cref="DingTalkClient.SyncCallbackAsync"/> did.</summary>
    public static void PrintSync(DingCallbackSyncResult result, string url)
    {
        var verb = result.Action switch
        {
            DingCallbackSyncAction.Registered => "registered",
            DingCallbackSyncAction.Updated => "updated",
            _ => "unchanged (already registered as handled)",
        };
        Console.WriteLine($"Callback {verb}: {url}");
        if (result.AddedTags.Count > 0)
        {
            Console.WriteLine($"  + {string.Join(", ", result.AddedTags)}");
        }

        if (result.RemovedTags.Count > 0)
        {
            Console.WriteLine($"  - {string.Join(", ", result.RemovedTags)}");
        }

        if (result.UrlChanged && result.PreviousUrl is not null)
        {
            Console.WriteLine($"  URL was {result.PreviousUrl}");
        }
    }

    /// <summary>Prints the registered tags next to the handled ones.</summary>
    public static void PrintStatus(DingCallbackRegistration? registration, IReadOnlyList<string> handled)
    {
        Console.WriteLine(registration is null ? "No callback is registered for this app." : $"Registered URL: {registration.Url}");
        var registered = registration?.Tags ?? [];
        var all = registered.Concat(handled).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var width = Math.Max("TAG".Length, all.Length == 0 ? 0 : all.Max(static t => t.Length));
        Console.WriteLine($"{"TAG".PadRight(width)}  REGISTERED  HANDLED");
        foreach (var tag in all)
        {
            var isRegistered = registered.Contains(tag, StringComparer.Ordinal);
            var isHandled = handled.Contains(tag, StringComparer.Ordinal);
            var note = isRegistered == isHandled ? string.Empty : isHandled ? "  <- not registered: DingTalk will not push it" : "  <- no handler: acknowledged and dropped";
            Console.WriteLine($"{tag.PadRight(width)}  {(isRegistered ? "yes" : "no"),-10}  {(isHandled ? "yes" : "no"),-7}{note}");
        }

        var inStep = registered.Order(StringComparer.Ordinal).SequenceEqual(handled.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Console.WriteLine(inStep ? "In step: the registered tags are exactly the handled ones." : "Out of step: run 'register <url>' to sync the registration with the handlers.");
    }

    /// <summary>Prints one line per recovered failed event.</summary>
    public static void PrintRecovery(DingRecoveryReport report)
    {
        if (report.Entries.Count == 0)
        {
            Console.WriteLine("No failed deliveries to recovery.");
            return;
        }

        foreach (var entry in report.Entries)
        {
            var time = entry.EventTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var detail = entry.Outcome switch
            {
                DingRecoveryOutcome.Failed => $" ({string.Join(", ", entry.FailedHandlers)}: {entry.Error})",
                DingRecoveryOutcome.InvalidEntry => $" ({entry.Error})",
                _ => string.Empty,
            };
            Console.WriteLine($"  {entry.Tag,-24} {time}  {entry.Outcome}{detail}");
        }

        Console.WriteLine($"{report.Entries.Count} failed deliver{(report.Entries.Count == 1 ? "y" : "ies")}: {report.Count(DingRecoveryOutcome.Handled)} handled, {report.Count(DingRecoveryOutcome.SkippedAlreadyRecovered)} already recovered, {report.Count(DingRecoveryOutcome.Failed)} failed, {report.Count(DingRecoveryOutcome.Enqueued) + report.Count(DingRecoveryOutcome.AlreadyInInbox)} handed to the durable inbox.");
    }
}
