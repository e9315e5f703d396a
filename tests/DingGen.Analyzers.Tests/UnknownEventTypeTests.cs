using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING001: unknown event type, with a "did you mean" and a fix to the nearest known tag.</summary>
public sealed class UnknownEventTypeTests
{
    [Fact]
    public Task Typo_of_a_catalogue_tag_is_reported_with_the_nearest_tag() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:"bpms_instanse_change"|})]
            public static void On(BpmsInstanceChange e) { }
        }
        """,
        Verify.Diagnostic(UnknownEventType).WithLocation(0).WithArguments("bpms_instanse_change", "; did you mean 'bpms_instance_change'?"));

    [Fact]
    public Task Tag_far_from_every_known_tag_is_reported_without_a_suggestion() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:"totally_unknown_event"|})]
            public static void On(JsonElement e) { }
        }
        """,
        Verify.Diagnostic(UnknownEventType).WithLocation(0).WithArguments(
            "totally_unknown_event",
            "; declare events DingTalk added later with [assembly: DingCustomEvent(\"totally_unknown_event\", typeof(Payload))]"));

    [Fact]
    public Task Case_differences_suggest_the_lower_case_tag() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:"User_Add_Org"|})]
            public static void On(JsonElement e) { }
        }
        """,
        Verify.Diagnostic(UnknownEventType).WithLocation(0).WithArguments("User_Add_Org", "; did you mean 'user_add_org'?"));

    [Fact]
    public Task Custom_events_are_known_and_suggested() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public static class Handlers
        {
            [DingEvent("crm_customer_change")]
            public static void On(CrmCustomerChange e) { }

            [DingEvent({|#0:"crm_custmer_change"|})]
            public static void OnTypo(CrmCustomerChange e) { }
        }
        """,
        Verify.Diagnostic(UnknownEventType).WithLocation(0).WithArguments("crm_custmer_change", "; did you mean 'crm_customer_change'?"));

    [Fact]
    public Task Known_tags_as_literals_and_constants_are_not_reported() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            private const string Mine = "bpms_task_change";

            [DingEvent("bpms_instance_change"), DingEvent(DingEventTypes.UserAddOrg), DingEvent(Mine)]
            public static void On(JsonElement e) { }
        }
        """);

    [Fact]
    public Task Fix_replaces_the_literal_with_the_DingEventTypes_constant() => Verify.FixAsync<UnknownEventTypeAnalyzer, UnknownEventTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|DING001:"bpms_instanse_change"|})]
            public static void On(BpmsInstanceChange e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent(DingEventTypes.BpmsInstanceChange)]
            public static void On(BpmsInstanceChange e) { }
        }
        """);

    [Fact]
    public Task Fix_adds_the_using_when_DingGen_is_not_imported() => Verify.FixAsync<UnknownEventTypeAnalyzer, UnknownEventTypeCodeFixProvider>(
        """
        public static class Handlers
        {
            [DingGen.DingEvent({|DING001:"user_ad_org"|})]
            public static void On(System.Text.Json.JsonElement e) { }
        }
        """,
        """
        using DingGen;

        public static class Handlers
        {
            [DingGen.DingEvent(DingEventTypes.UserAddOrg)]
            public static void On(System.Text.Json.JsonElement e) { }
        }
        """);

    [Fact]
    public Task Fix_uses_the_literal_for_a_custom_event() => Verify.FixAsync<UnknownEventTypeAnalyzer, UnknownEventTypeCodeFixProvider>(
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public static class Handlers
        {
            [DingEvent({|DING001:"crm_custmer_change"|})]
            public static void On(CrmCustomerChange e) { }
        }
        """,
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public static class Handlers
        {
            [DingEvent("crm_customer_change")]
            public static void On(CrmCustomerChange e) { }
        }
        """);

    [Fact]
    public Task No_fix_without_a_suggestion()
    {
        const string Source = Verify.Usings + """
            public static class Handlers
            {
                [DingEvent({|DING001:"totally_unknown_event"|})]
                public static void On(JsonElement e) { }
            }
            """;
        return Verify.FixAsync<UnknownEventTypeAnalyzer, UnknownEventTypeCodeFixProvider>(Source, Source);
    }

    [Fact]
    public Task Fix_all_replaces_every_typo() => Verify.FixAsync<UnknownEventTypeAnalyzer, UnknownEventTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|DING001:"bpms_instanse_change"|})]
            public static void OnInstance(BpmsInstanceChange e) { }

            [DingEvent({|DING001:"bpms_tsk_change"|}), DingEvent({|DING001:"user_leav_org"|})]
            public static void OnOther(JsonElement e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent(DingEventTypes.BpmsInstanceChange)]
            public static void OnInstance(BpmsInstanceChange e) { }

            [DingEvent(DingEventTypes.BpmsTaskChange), DingEvent(DingEventTypes.UserLeaveOrg)]
            public static void OnOther(JsonElement e) { }
        }
        """);
}
