using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING008: handlers of check_url and the suite handshakes never run; the fix removes the attribute.</summary>
public sealed class HandshakeEventHandlerTests
{
    [Fact]
    public Task Every_handshake_event_is_reported() => Verify.AnalyzerAsync<HandshakeEventHandlerAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:"check_url"|})]
            [DingEvent({|#1:"check_create_suite_url"|}), DingEvent({|#2:"check_update_suite_url"|})]
            public static void On(JsonElement e) { }
        }
        """,
        Verify.Diagnostic(HandshakeEventHandler).WithLocation(0).WithArguments("check_url"),
        Verify.Diagnostic(HandshakeEventHandler).WithLocation(1).WithArguments("check_create_suite_url"),
        Verify.Diagnostic(HandshakeEventHandler).WithLocation(2).WithArguments("check_update_suite_url"));

    [Fact]
    public Task The_handshake_set_comes_from_the_catalogue_marks() => Verify.AnalyzerAsync<HandshakeEventHandlerAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:DingEventTypes.CheckSuiteLicenseCode|})]
            public static void OnLicense(JsonElement e) { }

            [DingEvent({|#1:"check_suite_license_code"|})]
            public static void OnLicenseLiteral(JsonElement e) { }
        }
        """,
        Verify.Diagnostic(HandshakeEventHandler).WithLocation(0).WithArguments("check_suite_license_code"),
        Verify.Diagnostic(HandshakeEventHandler).WithLocation(1).WithArguments("check_suite_license_code"));

    [Fact]
    public Task Ordinary_events_are_not_reported() => Verify.AnalyzerAsync<HandshakeEventHandlerAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Fix_removes_the_attribute() => Verify.FixAsync<HandshakeEventHandlerAnalyzer, RemoveEventAttributeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            [DingEvent({|DING008:"check_url"|})]
            public static void On(JsonElement e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On(JsonElement e) { }
        }
        """);

    [Fact]
    public Task Fix_all_removes_every_handshake_attribute() => Verify.FixAsync<HandshakeEventHandlerAnalyzer, RemoveEventAttributeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|DING008:"check_url"|}), DingEvent("bpms_instance_change"), DingEvent({|DING008:"check_create_suite_url"|})]
            public static void On(JsonElement e) { }

            [DingEvent("user_add_org")]
            [DingEvent({|DING008:"check_update_suite_url"|})]
            public static void OnUser(JsonElement e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On(JsonElement e) { }

            [DingEvent("user_add_org")]
            public static void OnUser(JsonElement e) { }
        }
        """);
}
