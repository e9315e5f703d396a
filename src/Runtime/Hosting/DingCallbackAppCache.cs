using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DingGen;

/// <summary>The crypto of one DingTalk app, built from one snapshot of its options.</summary>
internal sealed class DingCallbackApp
{
    public DingCallbackApp(string name, DingGenOptions options)
    {
        Name = name;
        MetricName = DingGenServiceCollectionExtensions.DisplayName(name);
        Options = options;
        Crypto = new DingCallbackCrypto(options.Token!, options.AesKey!, options.EffectiveOwnerKey!);
        if (options.AcceptSuiteCreationPlaceholder && !string.Equals(Crypto.OwnerKey, DingGenOptions.SuiteCreationPlaceholderOwnerKey, StringComparison.Ordinal))
        {
            PlaceholderCrypto = new DingCallbackCrypto(options.Token!, options.AesKey!, DingGenOptions.SuiteCreationPlaceholderOwnerKey);
        }

        if (options.HasPreviousKeys && options.PreviousKeysUntil is { } until)
        {
            PreviousCrypto = new DingCallbackCrypto(
                string.IsNullOrEmpty(options.PreviousToken) ? options.Token! : options.PreviousToken,
                string.IsNullOrEmpty(options.PreviousAesKey) ? options.AesKey! : options.PreviousAesKey,
                Crypto.OwnerKey);
            PreviousKeysUntil = until;
        }
    }

    public string Name { get; }

    /// <summary>The app name in logs and metric tags: the name, or <c>default</c>.</summary>
    public string MetricName { get; }

    public DingGenOptions Options { get; }

    public DingCallbackCrypto Crypto { get; }

    /// <summary>The crypto under the suite-creation placeholder key, when <see cref="DingGenOptions.AcceptSuiteCreationPlaceholder"/> is set.</summary>
    public DingCallbackCrypto? PlaceholderCrypto { get; }

    /// <summary>The crypto under the keys in use before a rotation (<see cref="DingGenOptions.PreviousToken"/>, <see cref="DingGenOptions.PreviousAesKey"/>), when configured.</summary>
    public DingCallbackCrypto? PreviousCrypto { get; }

    /// <summary>The end of the rotation window: <see cref="PreviousCrypto"/> is tried only before this instant.</summary>
    public DateTimeOffset PreviousKeysUntil { get; }

    /// <summary>Whether the previous keys are still accepted at the time <paramref name="time"/> reports.</summary>
    public bool PreviousKeysOpen(TimeProvider time) => PreviousCrypto is not null && time.GetUtcNow() < PreviousKeysUntil;

    /// <summary>
    /// Verifies and decrypts a callback with the current keys and, when they fail and the rotation window is open, with the
    /// previous keys. <paramref name="opened"/> is the crypto that opened it (the reply must be sealed with it); on failure,
    /// the current keys' error is returned and <paramref name="opened"/> is <see cref="Crypto"/>.
    /// </summary>
    public DingCryptoErrorCode TryDecrypt(
        ReadOnlySpan<char> signature, ReadOnlySpan<char> timestamp, ReadOnlySpan<char> nonce, ReadOnlySpan<char> encrypt,
        TimeProvider time, out byte[]? plaintext, out DingCallbackCrypto opened)
    {
        opened = Crypto;
        var code = Crypto.TryDecrypt(signature, timestamp, nonce, encrypt, out plaintext);
        if (code != DingCryptoErrorCode.None && PreviousKeysOpen(time)
            && PreviousCrypto!.TryDecrypt(signature, timestamp, nonce, encrypt, out var previous) == DingCryptoErrorCode.None)
        {
            plaintext = previous;
            opened = PreviousCrypto;
            return DingCryptoErrorCode.None;
        }

        return code;
    }

    /// <summary>Opens a stored sealed message like <see cref="TryDecrypt"/>: current keys, then the previous keys while the rotation window is open.</summary>
    public DingCryptoErrorCode Open(DingSealedMessage message, TimeProvider time, out byte[]? plaintext) =>
        TryDecrypt(message.Signature, message.Timestamp, message.Nonce, message.Encrypt, time, out plaintext, out _);
}

/// <summary>One <see cref="DingCallbackApp"/> per app name, rebuilt when its options are reloaded.</summary>
internal sealed class DingCallbackAppCache
{
    private readonly IOptionsMonitor<DingGenOptions> _monitor;
    private readonly ConcurrentDictionary<string, DingCallbackApp> _apps = new(StringComparer.Ordinal);

    public DingCallbackAppCache(IOptionsMonitor<DingGenOptions> monitor)
    {
        _monitor = monitor;
    }

    /// <summary>The app's crypto. Throws <see cref="OptionsValidationException"/> when its options are invalid.</summary>
    public DingCallbackApp Get(string name)
    {
        var options = _monitor.Get(name);
        if (_apps.TryGetValue(name, out var app) && ReferenceEquals(app.Options, options))
        {
            return app;
        }

        app = new DingCallbackApp(name, options);
        _apps[name] = app;
        return app;
    }
}
