using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING003: the generated dispatcher cannot call the handler; the fix handles unsupported return types.</summary>
public sealed class HandlerNotCallableTests
{
    [Fact]
    public Task Every_call_problem_is_named() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void {|#0:OnGeneric|}<T>(BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static int {|#1:OnInt|}(BpmsInstanceChange e) => 1;

            [DingEvent("bpms_instance_change")]
            public static void {|#2:OnRef|}(ref BpmsInstanceChange e) { }

            [DingEvent("bpms_instance_change")]
            public static void {|#3:OnTwo|}(BpmsInstanceChange e, JsonElement raw) { }
        }
        """,
        Verify.Diagnostic(HandlerNotCallable).WithLocation(0).WithArguments("OnGeneric", "it is a generic method"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(1).WithArguments("OnInt", "its return type 'int' is not void, Task or ValueTask"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(2).WithArguments("OnRef", "parameter 'e' is passed by reference (ref)"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(3).WithArguments("OnTwo", "parameters 'e' and 'raw' are both payloads"));

    [Fact]
    public Task Local_function_handlers_are_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            public static void Register()
            {
                [DingEvent("bpms_instance_change")]
                static void {|#0:On|}(BpmsInstanceChange e) { }

                On(null!);
            }
        }
        """,
        Verify.Diagnostic(HandlerNotCallable).WithLocation(0).WithArguments("On", "it is a local function"));

    [Fact]
    public Task Callable_handlers_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Fix_makes_an_async_handler_return_ValueTask() => Verify.FixAsync<HandlerSignatureAnalyzer, HandlerReturnTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static async Task<bool> {|DING003:On|}(BpmsInstanceChange e)
            {
                await Task.Yield();
                if (e.ProcessInstanceId is null)
                    return false;
                return true;
            }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static async ValueTask On(BpmsInstanceChange e)
            {
                await Task.Yield();
                if (e.ProcessInstanceId is null)
                {
                    _ = false;
                    return;
                }
                _ = true;
                return;
            }
        }
        """);

    [Fact]
    public Task Fix_makes_a_synchronous_handler_return_a_completed_ValueTask() => Verify.FixAsync<HandlerSignatureAnalyzer, HandlerReturnTypeCodeFixProvider>(
        """
        using DingGen;
        using DingGen.Events;

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static int {|DING003:On|}(BpmsInstanceChange e) => e.GetHashCode();
        }
        """,
        """
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static ValueTask On(BpmsInstanceChange e)
            {
                _ = e.GetHashCode();
                return default;
            }
        }
        """);

    [Fact]
    public Task No_fix_for_other_problems()
    {
        const string Source = Verify.Usings + """
            public static class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public static void {|DING003:On|}<T>(BpmsInstanceChange e) { }
            }
            """;
        return Verify.FixAsync<HandlerSignatureAnalyzer, HandlerReturnTypeCodeFixProvider>(Source, Source);
    }

    [Fact]
    public Task Fix_all_fixes_every_return_type() => Verify.FixAsync<HandlerSignatureAnalyzer, HandlerReturnTypeCodeFixProvider>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async Task<int> {|DING003:OnInstance|}(BpmsInstanceChange e)
            {
                await Task.Yield();
                return 1;
            }

            [DingEvent("bpms_task_change")]
            public string {|DING003:OnTask|}(BpmsTaskChange e)
            {
                return "done";
            }
        }
        """,
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async ValueTask OnInstance(BpmsInstanceChange e)
            {
                await Task.Yield();
                _ = 1;
                return;
            }

            [DingEvent("bpms_task_change")]
            public ValueTask OnTask(BpmsTaskChange e)
            {
                _ = "done";
                return default;
            }
        }
        """);
}
