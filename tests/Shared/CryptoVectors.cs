using System.Text.Json;

namespace DingGen.Tests.Shared;

/// <summary>The vectors of Vectors/callback-crypto.json, produced by DingTalk's own Java crypto class.</summary>
public static class CryptoVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "callback-crypto.json"))));

    public static IEnumerable<JsonElement> Positive => Document.Value.RootElement.GetProperty("positive").EnumerateArray();

    public static IEnumerable<JsonElement> Negative => Document.Value.RootElement.GetProperty("negative").EnumerateArray();

    public static TheoryData<string> PositiveIds() => Ids(Positive);

    public static TheoryData<string> NegativeIds() => Ids(Negative);

    public static JsonElement PositiveById(string id) => Positive.Single(v => v.GetProperty("id").GetString() == id);

    public static JsonElement NegativeById(string id) => Negative.Single(v => v.GetProperty("id").GetString() == id);

    public static string Text(this JsonElement vector, string name) => vector.GetProperty(name).GetString()!;

    private static TheoryData<string> Ids(IEnumerable<JsonElement> vectors)
    {
        var data = new TheoryData<string>();
        foreach (var vector in vectors)
        {
            data.Add(vector.GetProperty("id").GetString()!);
        }

        return data;
    }
}
