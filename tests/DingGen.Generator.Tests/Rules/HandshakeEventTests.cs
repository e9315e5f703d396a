using DingGen.Common;
using DingGen.Generator.Emitting;
using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Rules;

/// <summary>
/// The handshake events come from the catalogue's <c>Handshake = true</c> marks, not from a list in the generator: a handler
/// of any marked tag is neither dispatched nor listed in <c>DingEventTags.All</c>.
/// </summary>
public sealed class HandshakeEventTests
{
    private const string Handlers = """
        using System.Text.Json;
        using DingGen;

        namespace Sample;

        internal static class LicenseHandlers
        {
            [DingEvent("check_suite_license_code")]
            public static void OnLicense(JsonElement payload)
            {
            }

            [DingEvent("bpms_instance_change"), DingEvent("check_suite_license_code")]
            public static void OnChange(JsonElement payload)
            {
            }
        }
        """;

    [Fact]
    public void The_generator_reads_every_marked_tag_from_the_catalogue()
    {
        var compilation = GeneratorHarness.CreateCompilation();
        Assert.Equal(
            new[] { "check_create_suite_url", "check_suite_license_code", "check_update_suite_url", "check_url" },
            HandshakeEvents.Of(compilation).Tags);
    }

    [Fact]
    public void A_check_suite_license_code_handler_is_not_dispatched_nor_listed()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Handlers));
        GeneratorAssert.CompilesCleanly(result, output);

        var dispatcher = GeneratorHarness.Source(result, DispatchEmitter.HintName);
        var tags = GeneratorHarness.Source(result, EventTagsEmitter.HintName);
        Assert.DoesNotContain("check_suite_license_code", dispatcher, StringComparison.Ordinal);
        Assert.DoesNotContain("check_suite_license_code", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("OnLicense", dispatcher, StringComparison.Ordinal);
        Assert.Contains("global::Sample.LicenseHandlers.OnChange(document.RootElement);", dispatcher, StringComparison.Ordinal);
        Assert.Contains("\"bpms_instance_change\",", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_runtime_there_are_no_handshake_events_and_nothing_is_emitted()
    {
        var compilation = GeneratorHarness.CreateCompilationWithoutRuntime("internal static class C\n{\n}\n");
        Assert.Empty(HandshakeEvents.Of(compilation).Tags);
        var (result, _) = GeneratorHarness.Run(compilation);
        GeneratorAssert.RanWithoutErrors(result);
        Assert.Empty(result.GeneratedSources);
    }
}
