using System.Reflection;
using System.Text.Json;
using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class CatalogueTests
{
    private static readonly FieldInfo[] Constants = typeof(DingEventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .ToArray();

    private static readonly Type[] EventRecords = typeof(DingEventPayload).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "DingGen.Events" && t.IsClass && t.GetMethod("<Clone>$") is not null)

        // Robot messages and their parts are not event payloads: they have their own context (DingRobotJsonContext, tests in Robots/).
        .Where(t => !t.Name.StartsWith("DingRobot", StringComparison.Ordinal))
        .ToArray();

    public static TheoryData<string> ConstantNames() => new(Constants.Select(f => f.Name));

    public static TheoryData<string> RecordNames() => new(EventRecords.Select(t => t.Name));

    internal static string Pascal(string tag) =>
        string.Concat(tag.Split('_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    [Fact]
    public void The_runtime_handshake_matcher_holds_exactly_the_constants_marked_as_handshakes()
    {
        // The mark on the constant is the one definition; the runtime's list (no reflection at run time) must equal it.
        var marked = Constants
            .Where(f => f.GetCustomAttribute<DingEventPayloadAttribute>()?.Handshake == true)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.Equal(["check_url", "check_create_suite_url", "check_update_suite_url", "check_suite_license_code"], marked);
        Assert.Equal(marked, DingHandshakeEvents.All);
        Assert.All(marked, tag => Assert.True(DingHandshakeEvents.Contains(tag)));
        Assert.All(Constants.Select(f => (string)f.GetRawConstantValue()!).Except(marked), tag => Assert.False(DingHandshakeEvents.Contains(tag), tag));
        Assert.All(marked, tag => Assert.Equal(tag, DingHandshakeEvents.Match(System.Text.Encoding.UTF8.GetBytes(tag))));
        Assert.Null(DingHandshakeEvents.Match("check_urlx"u8));
        Assert.Null(DingHandshakeEvents.Match("attendance_check_record"u8));
    }

    [Fact]
    public void The_catalogue_names_every_tag_once()
    {
        Assert.True(Constants.Length >= 150, $"only {Constants.Length} constants");
        Assert.Equal(Constants.Length, Constants.Select(f => (string)f.GetRawConstantValue()!).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(typeof(DingEventTypes).GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly), m => m is not FieldInfo);
    }

    [Theory]
    [MemberData(nameof(ConstantNames))]
    public void Constant_is_the_PascalCase_of_its_tag_and_names_a_payload_the_context_knows(string name)
    {
        var field = Constants.Single(f => f.Name == name);
        var tag = (string)field.GetRawConstantValue()!;

        Assert.Matches("^[a-z][a-zA-Z0-9]*(_[a-zA-Z0-9]+)*$", tag);
        Assert.Equal(Pascal(tag), name);
        var payload = field.GetCustomAttribute<DingEventPayloadAttribute>();
        Assert.NotNull(payload);
        Assert.False(payload.PayloadType.IsAbstract);
        Assert.Equal("DingGen.Events", payload.PayloadType.Namespace);
        Assert.True(typeof(DingEventPayload).IsAssignableFrom(payload.PayloadType));
        Assert.NotNull(DingEventsJsonContext.Default.GetTypeInfo(payload.PayloadType));
        Assert.NotNull(EventJson.Options.Options.GetTypeInfo(payload.PayloadType));
    }

    [Fact]
    public void Tag_specific_records_are_named_after_the_one_tag_they_serve()
    {
        var byPayload = Constants
            .Select(f => (Tag: (string)f.GetRawConstantValue()!, Payload: f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType))
            .GroupBy(p => p.Payload);

        foreach (var group in byPayload)
        {
            if (group.Key == typeof(DingGenericEvent))
            {
                continue;
            }

            if (group.Key == typeof(CheckUrlEvent))
            {
                Assert.All(group, p => Assert.StartsWith("check_", p.Tag, StringComparison.Ordinal));
                continue;
            }

            var single = Assert.Single(group);
            Assert.Equal(Pascal(single.Tag), group.Key.Name);
            Assert.True(group.Key.IsSealed, $"{group.Key.Name} should be sealed");
        }
    }

    [Fact]
    public void Check_tags_map_to_the_check_url_payload()
    {
        Assert.All(
            Constants.Where(f => ((string)f.GetRawConstantValue()!).StartsWith("check_", StringComparison.Ordinal) && f.Name != nameof(DingEventTypes.CheckIn)),
            f => Assert.Equal(typeof(CheckUrlEvent), f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType));
        Assert.Equal("check_url", DingEventTypes.CheckUrl);
        Assert.Equal("check_suite_license_code", DingEventTypes.CheckSuiteLicenseCode);
    }

    [Fact]
    public void Well_known_names_are_exact()
    {
        Assert.Equal("bpms_instance_change", DingEventTypes.BpmsInstanceChange);
        Assert.Equal("org_dept_create", DingEventTypes.OrgDeptCreate);
        Assert.Equal("attend_bossCheck_change", DingEventTypes.AttendBossCheckChange);
        Assert.Equal("check_in", DingEventTypes.CheckIn);
        Assert.NotNull(typeof(DingEventTypes).Assembly.GetType("DingGen.DingEventTypes"));
        Assert.NotNull(typeof(DingEventTypes).Assembly.GetType("DingGen.DingEventPayloadAttribute"));
        Assert.NotNull(typeof(DingEventTypes).Assembly.GetType("DingGen.Events.DingGenericEvent"));
        var usage = typeof(DingEventPayloadAttribute).GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.Equal(AttributeTargets.Field, usage.ValidOn);
    }

    [Fact]
    public void Every_tag_specific_record_is_the_payload_of_a_constant()
    {
        var payloads = Constants.Select(f => f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType).ToHashSet();
        var tagRecords = EventRecords.Where(t => t.IsSealed && typeof(DingEventPayload).IsAssignableFrom(t));

        Assert.All(tagRecords, t => Assert.Contains(t, payloads));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Every_record_is_serializable_by_the_context(string name)
    {
        var type = EventRecords.Single(t => t.Name == name);
        if (type.IsAbstract)
        {
            Assert.Equal(typeof(DingEventPayload), type);
            return;
        }

        // Robot messages and their parts are not event payloads: their metadata lives in DingRobotJsonContext.
        var info = DingEventsJsonContext.Default.GetTypeInfo(type) ?? (type.Name.StartsWith("DingRobot", StringComparison.Ordinal) ? DingRobotJsonContext.Default.GetTypeInfo(type) : null);
        Assert.NotNull(info);
        var json = JsonSerializer.Serialize(Activator.CreateInstance(type), info);
        var back = JsonSerializer.Deserialize(json, info);
        Assert.IsType(type, back);
        if (type.Name.StartsWith("DingRobot", StringComparison.Ordinal))
        {
            // Records with lists compare them by reference: compare what they serialize to.
            Assert.Equal(json, JsonSerializer.Serialize(back, info));
            return;
        }

        Assert.Equal(Activator.CreateInstance(type), back);
    }

    [Fact]
    public void The_context_keeps_DingTalk_parsing_rules()
    {
        var options = DingEventsJsonContext.Default.Options;
        Assert.True(options.PropertyNameCaseInsensitive);
        Assert.True(options.NumberHandling.HasFlag(System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString));
        Assert.True(EventJson.Options.Options.PropertyNameCaseInsensitive);
    }
}
