using System.Reflection;
using DingGen.Testing;

namespace DingGen.OpenApi.Tests;

public sealed class KnownTagsTests
{
    [Fact]
    public void The_fake_server_knows_exactly_the_catalogues_non_handshake_tags()
    {
        var catalogue = typeof(DingEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(static f => (string)f.GetRawConstantValue()!)
            .Where(static t => !t.StartsWith("check_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(catalogue, FakeDingTalkServer.DefaultKnownTags.Order(StringComparer.Ordinal).ToArray());
    }
}
