using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DingGen.Events;

namespace DingGen;

/// <summary>
/// The one <see cref="JsonSerializerOptions"/> payloads are decoded with: the catalogue's source-generated context,
/// then every context the host registered with <see cref="DingGenBuilder.AddJsonContext"/>, with DingTalk's parsing
/// rules (case-insensitive member names, numbers accepted from strings). No reflection: every type must come from a
/// source-generated context.
/// </summary>
public sealed class DingJsonOptions
{
    /// <summary>Builds the options from the catalogue context followed by <paramref name="userContexts"/>.</summary>
    public DingJsonOptions(IEnumerable<JsonSerializerContext> userContexts)
    {
        ArgumentNullException.ThrowIfNull(userContexts);
        var resolvers = new List<IJsonTypeInfoResolver> { DingEventsJsonContext.Default };
        resolvers.AddRange(userContexts);
        Options = new JsonSerializerOptions(DingEventsJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(resolvers.ToArray()),
        };
        Options.MakeReadOnly();
    }

    /// <summary>The combined, read-only options.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The metadata of <typeparamref name="T"/>, or <see langword="null"/> when no registered context knows it.</summary>
    public JsonTypeInfo<T>? TryGetTypeInfo<T>()
    {
        return Options.TryGetTypeInfo(typeof(T), out var info) ? (JsonTypeInfo<T>)info : null;
    }

    /// <summary>
    /// Resolves the metadata of <typeparamref name="T"/> for a generated dispatcher, noting it in <paramref name="missing"/>
    /// when no registered context knows it (the dispatcher then fails at start-up naming every missing type).
    /// </summary>
    public JsonTypeInfo<T>? Resolve<T>(DingMissingPayloadTypes missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var info = TryGetTypeInfo<T>();
        if (info is null)
        {
            missing.Add(typeof(T).FullName ?? typeof(T).Name);
        }

        return info;
    }
}

/// <summary>Collects the payload types a generated dispatcher could not resolve, and fails once naming all of them.</summary>
public sealed class DingMissingPayloadTypes
{
    private readonly string _module;
    private List<string>? _missing;

    /// <summary>Starts a collection for the module (assembly) <paramref name="module"/>.</summary>
    public DingMissingPayloadTypes(string module)
    {
        _module = module;
    }

    /// <summary>Notes a missing type.</summary>
    public void Add(string typeName) => (_missing ??= new List<string>()).Add(typeName);

    /// <summary>Throws one <see cref="InvalidOperationException"/> naming every missing type, if any.</summary>
    public void ThrowIfAny()
    {
        if (_missing is null)
        {
            return;
        }

        throw new InvalidOperationException(
            $"DingGen: the handlers of '{_module}' take payload types that no registered JsonSerializerContext knows: {string.Join(", ", _missing)}. " +
            "Add [JsonSerializable(typeof(T))] for each to a JsonSerializerContext in your project and register it with services.AddDingGen(...).AddJsonContext(MyJsonContext.Default).");
    }
}
