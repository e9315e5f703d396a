using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING004: the generated dispatcher cannot reach the handler; the fix makes private members and types internal.</summary>
public sealed class HandlerNotReachableTests
{
    [Fact]
    public Task Every_reachability_problem_is_named() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public class Handlers
        {
            [DingEvent("bpms_instance_change")]
            private static void {|#0:OnPrivate|}(BpmsInstanceChange e) { }

            private sealed class Hidden
            {
                [DingEvent("bpms_instance_change")]
                public void {|#1:On|}(BpmsInstanceChange e) { }
            }
        }

        public abstract class AbstractHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void {|#2:On|}(BpmsInstanceChange e) { }
        }

        public struct StructHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void {|#3:On|}(BpmsInstanceChange e) { }
        }

        file sealed class FileHandlers
        {
            [DingEvent("bpms_instance_change")]
            public static void {|#4:On|}(BpmsInstanceChange e) { }
        }
        """,
        Verify.Diagnostic(HandlerNotReachable).WithLocation(0).WithArguments("OnPrivate", "the method is private"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(1).WithArguments("On", "type 'Hidden' is private"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(2).WithArguments("On", "instance handlers need a concrete class, and 'AbstractHandlers' is abstract"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(3).WithArguments("On", "instance handlers need a class, and 'StructHandlers' is a struct"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(4).WithArguments("On", "type 'FileHandlers' is file-local"));

    [Fact]
    public Task Reachable_handlers_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Fix_makes_the_method_and_its_private_types_internal() => Verify.FixAsync<HandlerSignatureAnalyzer, MakeHandlerInternalCodeFixProvider>(
        Verify.Usings + """
        public class Outer
        {
            private sealed class Hidden
            {
                [DingEvent("bpms_instance_change")]
                private void {|DING004:On|}(BpmsInstanceChange e) { }
            }
        }
        """,
        Verify.Usings + """
        public class Outer
        {
            internal sealed class Hidden
            {
                [DingEvent("bpms_instance_change")]
                internal void On(BpmsInstanceChange e) { }
            }
        }
        """);

    [Fact]
    public Task No_fix_for_an_abstract_class()
    {
        const string Source = Verify.Usings + """
            public abstract class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public void {|DING004:On|}(BpmsInstanceChange e) { }
            }
            """;
        return Verify.FixAsync<HandlerSignatureAnalyzer, MakeHandlerInternalCodeFixProvider>(Source, Source);
    }

    [Fact]
    public Task Fix_all_makes_every_handler_internal() => Verify.FixAsync<HandlerSignatureAnalyzer, MakeHandlerInternalCodeFixProvider>(
        Verify.Usings + """
        public class Handlers
        {
            [DingEvent("bpms_instance_change")]
            private static void {|DING004:OnInstance|}(BpmsInstanceChange e) { }

            [DingEvent("bpms_task_change")]
            protected void {|DING004:OnTask|}(BpmsTaskChange e) { }
        }
        """,
        Verify.Usings + """
        public class Handlers
        {
            [DingEvent("bpms_instance_change")]
            internal static void OnInstance(BpmsInstanceChange e) { }

            [DingEvent("bpms_task_change")]
            internal void OnTask(BpmsTaskChange e) { }
        }
        """);
}
