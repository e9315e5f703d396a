using System.Collections.Concurrent;

namespace DingGen;

/// <summary>
/// The DingTalk apps added with <c>AddDingGen</c> (name → configuration path, for validation messages) and the
/// names a callback endpoint was mapped for (<c>MapDingCallback</c>). One instance per service collection.
/// </summary>
internal sealed class DingGenAppRegistry
{
    private readonly ConcurrentDictionary<string, string> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _mapped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _stream = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _interactionMapped = new(StringComparer.Ordinal);

    public void AddApp(string name, string configurationPath) => _apps[name] = configurationPath;

    public bool IsApp(string name) => _apps.ContainsKey(name);

    public IReadOnlyCollection<string> AppNames => _apps.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The setting name prefix for messages, e.g. <c>DingGen:</c>.</summary>
    public string SettingPrefix(string name) =>
        _apps.TryGetValue(name, out var path) && path.Length > 0 ? path + ":" : string.Empty;

    public void MarkMapped(string name) => _mapped[name] = 0;

    public bool IsMapped(string name) => _mapped.ContainsKey(name);

    public bool AnyMapped => !_mapped.IsEmpty;

    /// <summary>Notes that a robot or card endpoint is mapped for the app (<c>MapDingRobot</c>, <c>MapDingCardCallback</c>): its AppSecret becomes required.</summary>
    public void MarkInteractionMapped(string name) => _interactionMapped[name] = 0;

    public bool IsInteractionMapped(string name) => _interactionMapped.ContainsKey(name);

    /// <summary>Notes that stream mode is on for the app (<c>UseStreamMode</c>): its AppSecret becomes required.</summary>
    /// <param name="name">The app name.</param>
    /// <param name="fromConfiguration">Turned on by <c>Stream:Enabled = true</c> in <c>AddDingGen</c> (a later <c>UseStreamMode()</c> call is then allowed once).</param>
    public void MarkStream(string name, bool fromConfiguration = false) => _stream[name] = fromConfiguration ? (byte)1 : (byte)0;

    /// <summary>Whether stream mode was turned on by configuration only, not yet by a <c>UseStreamMode()</c> call.</summary>
    public bool IsStreamFromConfigurationOnly(string name) => _stream.TryGetValue(name, out var source) && source == 1;

    public bool IsStream(string name) => _stream.ContainsKey(name);

    public static string Describe(string name) => name.Length == 0 ? "the default DingTalk app" : $"the DingTalk app '{name}'";
}
