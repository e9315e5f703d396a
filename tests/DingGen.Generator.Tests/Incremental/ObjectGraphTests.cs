using System.Collections.Immutable;
using DingGen.Generator.Model;
using DingGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace DingGen.Generator.Tests.Incremental;

/// <summary>The object-graph walk itself catches what it must (a walk that sees nothing proves nothing).</summary>
public sealed class ObjectGraphTests
{
    [Fact]
    public void A_model_of_values_passes()
    {
        var model = new CustomEventModel("my_event", "Sample.MyPayload");
        // The EquatableArray, its array, the model and its two strings.
        Assert.Equal(5, ObjectGraph.AssertHoldsOnlyValues(new[] { model }.ToEquatableArray(), "root"));
    }

    [Fact]
    public void A_symbol_deep_inside_fails()
    {
        var compilation = GeneratorHarness.CreateCompilation("internal sealed class C\n{\n}\n");
        var holder = new Holder(new Holder(compilation.GetTypeByMetadataName("C")));
        var failure = Assert.Throws<FalseException>(() => ObjectGraph.AssertHoldsOnlyValues(holder, "root"));
        Assert.Contains("root.<Value>k__BackingField.<Value>k__BackingField", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_location_fails()
    {
        Assert.Throws<FalseException>(() => ObjectGraph.AssertHoldsOnlyValues(new Holder(Location.None), "root"));
    }

    [Fact]
    public void Immutable_arrays_and_lists_fail()
    {
        Assert.ThrowsAny<XunitException>(() => ObjectGraph.AssertHoldsOnlyValues(new Holder(ImmutableArray.Create("a")), "root"));
        Assert.ThrowsAny<XunitException>(() => ObjectGraph.AssertHoldsOnlyValues(new Holder(new List<string> { "a" }), "root"));
    }

    private sealed record Holder(object? Value);
}
