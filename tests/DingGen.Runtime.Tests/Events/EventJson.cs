using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DingGen.Runtime.Tests.Events;

/// <summary>Decodes payloads the way a generated dispatcher does: through <see cref="DingJsonOptions"/> with no user context.</summary>
internal static class EventJson
{
    public static readonly DingJsonOptions Options = new([]);

    public static T Parse<T>(string json)
    {
        var info = Options.TryGetTypeInfo<T>();
        Assert.NotNull(info);
        var value = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), info);
        Assert.NotNull(value);
        return value;
    }

    public static object Parse(Type type, ReadOnlySpan<byte> json)
    {
        Assert.True(Options.Options.TryGetTypeInfo(type, out JsonTypeInfo? info), $"no JsonTypeInfo for {type}");
        var value = JsonSerializer.Deserialize(json, info!);
        Assert.NotNull(value);
        Assert.IsType(type, value);
        return value;
    }
}
