using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING007: the same method names the same event type twice; the fix removes the repeat.</summary>
public sealed class DuplicateEventTypeTests
{
    [Fact]
    public Task Second_occurrence_is_reported_whatever_its_spelling() => Verify.AnalyzerAsync<DuplicateEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change"), DingEvent({|#0:DingEventTypes.BpmsInstanceChange|})]
            public static void On(BpmsInstanceChange e) { }
        }
        """,
        Verify.Diagnostic(DuplicateEventType).WithLocation(0).WithArguments("On", "bpms_instance_change"));

    [Fact]
    public Task The_same_tag_on_two_methods_is_not_a_duplicate() => Verify.AnalyzerAsync<DuplicateEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void OnA(BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static void OnB(JsonElement e) { }
        }
        """);

    [Fact]
    public Task Fix_removes_the_repeated_attribute_from_a_shared_list() => Verify.FixAsync<DuplicateEventTypeAnalyzer, RemoveEventAttributeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change"), DingEvent({|DING007:DingEventTypes.BpmsInstanceChange|})]
            public static void On(BpmsInstanceChange e) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On(BpmsInstanceChange e) { }
        }
        """);

    /// <remarks>
    /// BatchFixer skips a removal that touches the text another removal changed, so two adjacent repeats in one list
    /// take a second Fix-All pass.
    /// </remarks>
    [Fact]
    public Task Fix_all_removes_every_repeat() => new DingCodeFixTest<DuplicateEventTypeAnalyzer, RemoveEventAttributeCodeFixProvider>
    {
        NumberOfFixAllIterations = 2,
        NumberOfFixAllInDocumentIterations = 2,
        TestCode = Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("user_add_org")]
            [DingEvent({|DING007:"user_add_org"|})]
            public static void OnAdd(UserAddOrg e) { }

            [DingEvent("bpms_task_change"), DingEvent({|DING007:"bpms_task_change"|}), DingEvent({|DING007:"bpms_task_change"|})]
            public static void OnTask(BpmsTaskChange e) { }
        }
        """,
        FixedCode = Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("user_add_org")]
            public static void OnAdd(UserAddOrg e) { }

            [DingEvent("bpms_task_change")]
            public static void OnTask(BpmsTaskChange e) { }
        }
        """,
    }.RunAsync();
}
