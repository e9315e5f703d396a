using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING002: the payload parameter does not fit the event(s); the fix takes the type that fits them all.</summary>
public sealed class PayloadMismatchTests
{
    [Fact]
    public Task Payload_of_another_event_is_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On({|#0:BpmsTaskChange|} e) { }
        }
        """,
        Verify.Diagnostic(PayloadMismatch).WithLocation(0).WithArguments("BpmsTaskChange", "event 'bpms_instance_change'", "use 'BpmsInstanceChange'"));

    [Fact]
    public Task Payload_of_one_of_several_events_suggests_the_shared_base_record() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("user_add_org"), DingEvent("user_leave_org")]
            public static void On({|#0:UserAddOrg|} e) { }
        }
        """,
        Verify.Diagnostic(PayloadMismatch).WithLocation(0).WithArguments(
            "UserAddOrg", "event 'user_leave_org'", "use 'DingUserChangeEvent', which fits all of the method's events"));

    [Fact]
    public Task Events_no_single_type_fits_are_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public static class Handlers
        {
            [DingEvent("bpms_instance_change"), DingEvent("crm_customer_change")]
            public static void On({|#0:BpmsInstanceChange|} e) { }
        }
        """,
        Verify.Diagnostic(PayloadMismatch).WithLocation(0).WithArguments(
            "BpmsInstanceChange",
            "event 'crm_customer_change'",
            "no single payload type fits all of the method's events; take 'DingGenericEvent', JsonElement or write one handler per event"));

    [Fact]
    public Task Custom_payload_of_another_event_is_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On({|#0:CrmCustomerChange|} e, CancellationToken ct) { }
        }
        """,
        Verify.Diagnostic(PayloadMismatch).WithLocation(0).WithArguments("CrmCustomerChange", "event 'bpms_instance_change'", "use 'BpmsInstanceChange'"));

    [Fact]
    public Task Fitting_payloads_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Fix_takes_the_event_payload_type() => Verify.FixAsync<HandlerSignatureAnalyzer, PayloadTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On({|DING002:BpmsTaskChange|} e, CancellationToken ct) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On(BpmsInstanceChange e, CancellationToken ct) { }
        }
        """);

    [Fact]
    public Task Fix_keeps_nullability_and_takes_the_shared_base() => Verify.FixAsync<HandlerSignatureAnalyzer, PayloadTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("user_add_org"), DingEvent("user_leave_org")]
            public static void On({|DING002:UserLeaveOrg?|} e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("user_add_org"), DingEvent("user_leave_org")]
            public static void On(DingUserChangeEvent? e) { }
        }
        """);

    [Fact]
    public Task Fix_all_changes_every_payload() => Verify.FixAsync<HandlerSignatureAnalyzer, PayloadTypeCodeFixProvider>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnInstance({|DING002:BpmsTaskChange|} e) { }

            [DingEvent("bpms_task_change")]
            public void OnTask({|DING002:BpmsInstanceChange|} e) { }
        }
        """,
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnInstance(BpmsInstanceChange e) { }

            [DingEvent("bpms_task_change")]
            public void OnTask(BpmsTaskChange e) { }
        }
        """);
}
