using System.Globalization;
using DingGen;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Settings for a command run: warnings only in the log, no per-request HttpClient lines (the command prints one line per
    /// outcome instead), and the
    /// recovery record kept in the user's local application data, not in the project folder, unless configured.
    /// </summary>
    public static void Configure(ConfigurationManager configuration)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        };
        if (string.IsNullOrEmpty(configuration["DingGen:Recovery:StorePath"]))
        {
            settings["DingGen:Recovery:StorePath"] = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ApprovalHost", DingFailedEventRecoveryOptions.DefaultStorePath);
        }

        configuration.AddInMemoryCollection(settings);
    }

    /// <summary>Runs the command named by <c>args[0]</c> against the built (not started) host; every failure is one line and exit code 2.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return await RunCoreAsync(app, args);
        }
        catch (DingTalkApiException e)
        {
            return Fail($"error {e.ErrorCode}: {e.ErrorMessage}", e.Hint);
        }
        catch (DingCallbackUrlCheckException e)
        {
            return Fail($"error check_url: {e.Reason}", e.Hint + " DingTalk was not asked.");
        }
        catch (HttpRequestException e)
        {
            var status = e.StatusCode is { } code ? $" (HTTP {(int)code})" : string.Empty;
            return Fail($"error network: DingTalk's server API failed{status}: {e.Message}", "check DingGen:OpenApi:BaseAddress and the network; try again later if DingTalk is down.");
        }
        catch (TimeoutException e)
        {
            return Fail($"error timeout: {e.Message}", "check DingGen:OpenApi:BaseAddress and the network; DingGen:OpenApi:CallTimeout sets the deadline.");
        }
        catch (OptionsValidationException e)
        {
            return Fail($"error settings: {string.Join(" ", e.Failures)}", "set it in appsettings.json or an environment variable such as DingGen__AppSecret.");
        }
        catch (InvalidOperationException e)
        {
            // Missing settings (e.g. AppSecret) are reported this way by the client factory and SyncCallbackAsync.
            return Fail($"error settings: {e.Message}", "set it in appsettings.json or an environment variable such as DingGen__AppSecret.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail($"error unexpected: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private static int Fail(string message, string? hint)
    {
        Console.Error.WriteLine(string.IsNullOrEmpty(hint) ? message : $"{message} — {hint}");
        return 2;
    }

    private static async Task<int> RunCoreAsync(WebApplication app, string[] args)
    {
        var client = app.Services.GetRequiredService<DingTalkClient>();
        var handled = app.Services.GetRequiredService<DingEventRouter>().HandledEventTypes;
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
                var recovery = app.Services.GetRequiredService<DingFailedEventRecovery>();
                if (args.Contains("--retry-dead", StringComparer.Ordinal))
                {
                    var retried = new List<DingRecoveryEntry>();
                    foreach (var dead in await recovery.GetDeadLettersAsync())
                    {
                        retried.Add((await recovery.RetryDeadLetterAsync(dead.Key))!);
                    }

                    var retriedReport = new DingRecoveryReport(retried, 0);
                    PrintRecovery(retriedReport);
                    return retriedReport.Succeeded ? 0 : 1;
                }

                var report = await recovery.RecoverAsync();
                PrintRecovery(report);
                var deadLetters = await recovery.GetDeadLettersAsync();
                if (deadLetters.Count > 0)
                {
                    Console.WriteLine($"{deadLetters.Count} dead letter(s) kept after {recovery.MaxAttempts} failed attempts; retry them with 'recover-failed --retry-dead'.");
                }

                return report.Succeeded ? 0 : 1;
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
            Console.WriteLine("No failed deliveries to recover.");
            return;
        }

        foreach (var entry in report.Entries)
        {
            var time = entry.EventTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var detail = entry.Outcome switch
            {
                DingRecoveryOutcome.Failed => $" ({string.Join(", ", entry.FailedHandlers)}: {entry.Error}; kept, retried by a later run)",
                DingRecoveryOutcome.Deferred or DingRecoveryOutcome.DeadLettered => entry.Error is null ? string.Empty : $" ({entry.Error})",
                DingRecoveryOutcome.InvalidEntry => $" ({entry.Error})",
                _ => string.Empty,
            };
            Console.WriteLine($"  {entry.Tag,-24} {time}  {entry.Outcome}{detail}");
        }

        Console.WriteLine($"{report.Entries.Count} failed deliver{(report.Entries.Count == 1 ? "y" : "ies")}: {report.Count(DingRecoveryOutcome.Handled)} handled, {report.Count(DingRecoveryOutcome.SkippedAlreadyRecovered)} already recovered, {report.Count(DingRecoveryOutcome.Failed)} failed, {report.Count(DingRecoveryOutcome.Deferred)} waiting for a retry, {report.Count(DingRecoveryOutcome.DeadLettered)} dead-lettered, {report.Count(DingRecoveryOutcome.Enqueued) + report.Count(DingRecoveryOutcome.AlreadyInInbox)} handed to the durable inbox.");
    }
}
