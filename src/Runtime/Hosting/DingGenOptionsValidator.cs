using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>
/// The checks of <see cref="DingGenOptions"/> that data annotations cannot express: <c>Token</c> and <c>AesKey</c>
/// are required when a callback is mapped for the app, <c>AppSecret</c> when stream mode is on or a robot or card endpoint is mapped, <c>AesKey</c> is 43 Base64 characters, <c>OwnerKey</c> is not blank, previous keys (rotation) come with <c>PreviousKeysUntil</c>.
/// Messages name the setting with its configuration path (<c>DingGen:AesKey must be 43 characters</c>) and never its value.
/// </summary>
internal sealed class DingGenOptionsValidator : IValidateOptions<DingGenOptions>
{
    private readonly DingGenAppRegistry _registry;

    public DingGenOptionsValidator(DingGenAppRegistry registry)
    {
        _registry = registry;
    }

    public ValidateOptionsResult Validate(string? name, DingGenOptions options)
    {
        name ??= Options.DefaultName;
        if (!_registry.IsApp(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = _registry.SettingPrefix(name);
        var mapped = _registry.IsMapped(name);
        List<string>? failures = null;

        if (string.IsNullOrEmpty(options.Token))
        {
            if (mapped)
            {
                Fail(ref failures, $"{prefix}Token is required because a callback is mapped for {DingGenAppRegistry.Describe(name)} (MapDingCallback).");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Token))
        {
            Fail(ref failures, $"{prefix}Token must not be blank.");
        }

        if (string.IsNullOrEmpty(options.AesKey))
        {
            if (mapped)
            {
                Fail(ref failures, $"{prefix}AesKey is required because a callback is mapped for {DingGenAppRegistry.Describe(name)} (MapDingCallback).");
            }
        }
        else if (options.AesKey.Length != DingCallbackCrypto.AesKeyLength)
        {
            Fail(ref failures, $"{prefix}AesKey must be {DingCallbackCrypto.AesKeyLength} characters (the EncodingAESKey without its trailing '=').");
        }
        else if (!DingCallbackCrypto.IsValidAesKey(options.AesKey))
        {
            Fail(ref failures, $"{prefix}AesKey must contain only Base64 letters and digits.");
        }

        if (_registry.IsStream(name) && string.IsNullOrWhiteSpace(options.AppSecret))
        {
            Fail(ref failures, $"{prefix}AppSecret is required because stream mode is on for {DingGenAppRegistry.Describe(name)} (UseStreamMode): set it to the app's AppSecret (ClientSecret).");
        }
        else if (_registry.IsInteractionMapped(name) && string.IsNullOrWhiteSpace(options.AppSecret))
        {
            Fail(ref failures, $"{prefix}AppSecret is required because a robot or card endpoint is mapped for {DingGenAppRegistry.Describe(name)} (MapDingRobot, MapDingCardCallback): DingTalk signs those requests with the app's AppSecret (ClientSecret).");
        }

        ValidatePreviousKeys(options, prefix, ref failures);

        if (!string.IsNullOrEmpty(options.OwnerKey) && string.IsNullOrWhiteSpace(options.OwnerKey))
        {
            Fail(ref failures, $"{prefix}OwnerKey must not be blank; remove it to use AppKey.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePreviousKeys(DingGenOptions options, string prefix, ref List<string>? failures)
    {
        if (!string.IsNullOrEmpty(options.PreviousToken) && string.IsNullOrWhiteSpace(options.PreviousToken))
        {
            Fail(ref failures, $"{prefix}PreviousToken must not be blank; remove it when the Token did not change.");
        }

        if (!string.IsNullOrEmpty(options.PreviousAesKey))
        {
            if (options.PreviousAesKey.Length != DingCallbackCrypto.AesKeyLength)
            {
                Fail(ref failures, $"{prefix}PreviousAesKey must be {DingCallbackCrypto.AesKeyLength} characters (the EncodingAESKey without its trailing '=').");
            }
            else if (!DingCallbackCrypto.IsValidAesKey(options.PreviousAesKey))
            {
                Fail(ref failures, $"{prefix}PreviousAesKey must contain only Base64 letters and digits.");
            }
        }

        if (options.HasPreviousKeys && options.PreviousKeysUntil is null)
        {
            Fail(ref failures, $"{prefix}PreviousKeysUntil is required when {prefix}PreviousToken or {prefix}PreviousAesKey is set: the UTC time after which the previous keys are no longer accepted (for example 2025-07-01T00:00:00Z).");
        }
        else if (!options.HasPreviousKeys && options.PreviousKeysUntil is not null)
        {
            Fail(ref failures, $"{prefix}PreviousKeysUntil is set but neither {prefix}PreviousToken nor {prefix}PreviousAesKey is: set the keys in use before the rotation, or remove PreviousKeysUntil.");
        }
    }

    private static void Fail(ref List<string>? failures, string message) => (failures ??= new List<string>()).Add(message);
}
