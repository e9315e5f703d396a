using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// How the inbox worker dispatches stored deliveries, bound from the <c>Inbox</c> sub-section of the app's configuration section
/// (e.g. <c>DingGen:Inbox:MaxAttempts</c>). One worker serves every app whose inbox is on; its settings come from the first app that
/// turned the inbox on.
/// </summary>
public sealed class DingInboxOptions
{
    /// <summary>
    /// Attempts before an entry moves to the dead-letter state (default 8). With the default delays the last retry happens about
    /// 21 minutes after the first failure.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The delay before the first retry (default 10 s); each further retry doubles it, up to <see cref="MaxRetryDelay"/>, with ±20 % jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between two attempts (default 10 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many entries are dispatched at the same time (default 4).</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// How many due entries the worker claims in one round trip to the store (default 64; never fewer than
    /// <see cref="MaxConcurrency"/>). Claimed entries wait in a local queue and run with at most <see cref="MaxConcurrency"/> in flight;
    /// one that waited more than a quarter of <see cref="LeaseDuration"/> is given back unstarted. Lower it when handlers are slow and
    /// several replicas share the inbox, so one replica does not hold entries the others could run.
    /// </summary>
    public int ClaimBatchSize { get; set; } = 64;

    /// <summary>
    /// How often the worker looks for due retries when nothing wakes it (default 2 s). A new delivery wakes it at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a claimed entry stays invisible to other claims (default 5 minutes). If the process dies while handling it, the entry
    /// is dispatched again once the lease has expired; set it above your slowest handler.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long done entries are kept to recognise redeliveries (default 7 days). DingTalk's HTTP retries end about 40 s after the first
    /// delivery and its failed-event list keeps 7 days; stream redeliveries come within about a minute. Must be at least 1 hour.
    /// </summary>
    public TimeSpan DoneRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often done entries older than <see cref="DoneRetention"/> are deleted (default 1 hour).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Validates <see cref="DingInboxOptions"/> at start-up; messages name the setting, never its value.</summary>
internal sealed class DingInboxOptionsValidator : IValidateOptions<DingInboxOptions>
{
    private readonly DingInboxRegistration _registration;

    public DingInboxOptionsValidator(DingInboxRegistration registration)
    {
        _registration = registration;
    }

    public ValidateOptionsResult Validate(string? name, DingInboxOptions options)
    {
        var prefix = _registration.SettingPrefix;
        List<string>? failures = null;
        void Fail(string message) => (failures ??= new List<string>()).Add(prefix + message);

        if (options.MaxAttempts is < 1 or > 1000)
        {
            Fail("MaxAttempts must be between 1 and 1000.");
        }

        if (options.InitialRetryDelay < TimeSpan.FromMilliseconds(10) || options.InitialRetryDelay > TimeSpan.FromDays(1))
        {
            Fail("InitialRetryDelay must be between 10 ms and 1 day.");
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay || options.MaxRetryDelay > TimeSpan.FromDays(7))
        {
            Fail("MaxRetryDelay must be at least InitialRetryDelay and at most 7 days.");
        }

        if (options.MaxConcurrency is < 1 or > 256)
        {
            Fail("MaxConcurrency must be between 1 and 256.");
        }

        if (options.ClaimBatchSize is < 1 or > 1000)
        {
            Fail("ClaimBatchSize must be between 1 and 1000.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            Fail("PollInterval must be between 10 ms and 10 minutes.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromDays(1))
        {
            Fail("LeaseDuration must be between 1 second and 1 day.");
        }

        if (options.DoneRetention < TimeSpan.FromHours(1))
        {
            Fail("DoneRetention must be at least 1 hour, longer than DingTalk's redelivery schedule.");
        }

        if (options.PurgeInterval < TimeSpan.FromSeconds(1))
        {
            Fail("PurgeInterval must be at least 1 second.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Requires <c>Token</c> and <c>AesKey</c> for an app whose inbox is on but has no HTTP callback mapped (a stream-only app): the
/// inbox seals stream deliveries with them. (Mapped apps already require them.)
/// </summary>
internal sealed class DingInboxAppOptionsValidator : IValidateOptions<DingGenOptions>
{
    private readonly DingInboxRegistration _inbox;
    private readonly DingGenAppRegistry _apps;

    public DingInboxAppOptionsValidator(DingInboxRegistration inbox, DingGenAppRegistry apps)
    {
        _inbox = inbox;
        _apps = apps;
    }

    public ValidateOptionsResult Validate(string? name, DingGenOptions options)
    {
        name ??= Options.DefaultName;
        if (!_inbox.IsEnabled(name) || _apps.IsMapped(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = _apps.SettingPrefix(name);
        List<string>? failures = null;
        if (string.IsNullOrEmpty(options.Token))
        {
            (failures ??= new()).Add($"{prefix}Token is required because the durable inbox is on for {DingGenAppRegistry.Describe(name)}: stored deliveries are sealed with the app's Token and AesKey ('dinggen keygen' makes a pair).");
        }

        if (string.IsNullOrEmpty(options.AesKey))
        {
            (failures ??= new()).Add($"{prefix}AesKey is required because the durable inbox is on for {DingGenAppRegistry.Describe(name)}: stored deliveries are sealed with the app's Token and AesKey ('dinggen keygen' makes a pair).");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
