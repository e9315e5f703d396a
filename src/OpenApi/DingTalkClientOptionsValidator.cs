using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// Start-up validation of the <see cref="DingTalkClientOptions"/> settings that have defaults (<c>OpenApi:BaseAddress</c>,
/// <c>MaxTransientRetries</c>, <c>RetryBaseDelay</c>, <c>TokenRefreshMargin</c>). AppKey and AppSecret are checked when the
/// client is first resolved, so a host may register the client and run without it. Messages name the setting, never its value.
/// </summary>
internal sealed class DingTalkClientOptionsValidator : IValidateOptions<DingTalkClientOptions>
{
    private readonly HashSet<string> _apps;
    private readonly DingGenAppRegistry? _registry;

    public DingTalkClientOptionsValidator(IEnumerable<DingTalkClientAppRegistration> apps, DingGenAppRegistry? registry = null)
    {
        _apps = new HashSet<string>(apps.Select(static a => a.AppName), StringComparer.Ordinal);
        _registry = registry;
    }

    public ValidateOptionsResult Validate(string? name, DingTalkClientOptions options)
    {
        name ??= Options.DefaultName;
        if (!_apps.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = _registry?.IsApp(name) == true ? _registry.SettingPrefix(name) : string.Empty;
        var problem = DingTalkClient.ValidateSettings(options, prefix);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
