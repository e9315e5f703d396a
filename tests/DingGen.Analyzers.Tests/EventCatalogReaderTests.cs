using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Analyzers.Tests;

/// <summary>The catalogue as the analyzers read it from a compilation, and the "did you mean" suggestion.</summary>
public sealed class EventCatalogReaderTests
{
    private static EventCatalog Read(string source = "")
    {
        var compilation = CSharpCompilation.Create(
            "CatalogueTest",
            new[] { CSharpSyntaxTree.ParseText(source) },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return EventCatalogReader.Read(compilation, CancellationToken.None);
    }

    [Fact]
    public void Reads_constants_with_their_payload_records()
    {
        var catalog = Read();

        Assert.True(catalog.HasCatalogue);
        var known = catalog.Find("user_add_org");
        Assert.NotNull(known);
        Assert.Equal("UserAddOrg", known!.ConstantName);
        Assert.Equal("DingGen.Events.UserAddOrg", known.CataloguePayload!.ToDisplayString());
        Assert.Null(catalog.Find("user_add_orgs"));
    }

    [Fact]
    public void Payload_records_and_their_base_records_are_catalogue_records()
    {
        var catalog = Read();
        var userAddOrg = catalog.Find("user_add_org")!.CataloguePayload!;

        Assert.True(catalog.IsCatalogueRecord(userAddOrg));
        Assert.True(catalog.IsCatalogueRecord(userAddOrg.BaseType!));
        Assert.Equal("DingUserChangeEvent", userAddOrg.BaseType!.Name);
        Assert.NotNull(catalog.GenericEvent);
    }

    [Fact]
    public void Custom_events_are_known_with_their_payloads()
    {
        var catalog = Read("""
            [assembly: DingGen.DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]
            [assembly: DingGen.DingCustomEvent("bpms_instance_change", typeof(CrmCustomerChange))]
            [assembly: DingGen.DingCustomEvent("  ", typeof(CrmCustomerChange))]
            public sealed record CrmCustomerChange(string CustomerId);
            """);

        var custom = catalog.Find("crm_customer_change");
        Assert.NotNull(custom);
        Assert.False(custom!.IsInCatalogue);
        Assert.Equal("CrmCustomerChange", Assert.Single(custom.CustomPayloads).Name);

        var both = catalog.Find("bpms_instance_change")!;
        Assert.True(both.IsInCatalogue);
        Assert.Single(both.CustomPayloads);
        Assert.Null(catalog.Find("  "));
        Assert.True(catalog.IsCustomPayload(custom.CustomPayloads[0]));
        Assert.True(catalog.IsCustomPayloadOf(custom.CustomPayloads[0], new[] { "crm_customer_change" }));
        Assert.False(catalog.IsCustomPayloadOf(custom.CustomPayloads[0], new[] { "user_add_org" }));
    }

    [Theory]
    [InlineData("bpms_instanse_change", "bpms_instance_change")]
    [InlineData("bpms_instance_chang", "bpms_instance_change")]
    [InlineData("BPMS_INSTANCE_CHANGE", "bpms_instance_change")]
    [InlineData("bpms_tsk_change", "bpms_task_change")]
    [InlineData("user_leav_org", "user_leave_org")]
    [InlineData("org_dep_create", "org_dept_create")]
    [InlineData("crm_custmer_change", "crm_customer_change")]
    public void Suggests_the_nearest_known_tag(string typed, string expected) =>
        Assert.Equal(expected, Read("""
            [assembly: DingGen.DingCustomEvent("crm_customer_change", typeof(object))]
            """).Suggest(typed));

    [Theory]
    [InlineData("totally_unknown_event")]
    [InlineData("bpms")]
    [InlineData("x")]
    [InlineData("")]
    public void Suggests_nothing_when_no_tag_is_near(string typed) => Assert.Null(Read().Suggest(typed));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("ABC", "abc", 0)]
    [InlineData("", "abc", 3)]
    public void Distance_is_case_insensitive_Levenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, EventCatalogReader.Distance(a, b, 10));
}
