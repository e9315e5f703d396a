using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING005: async void handlers; the fix returns Task.</summary>
public sealed class AsyncVoidHandlerTests
{
    [Fact]
    public Task Async_void_handler_is_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async void {|#0:On|}(BpmsInstanceChange e) => await Task.Yield();
        }
        """,
        Verify.Diagnostic(AsyncVoidHandler).WithLocation(0).WithArguments("On"));

    [Fact]
    public Task Synchronous_void_and_async_Task_handlers_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Async_void_methods_that_are_not_handlers_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public sealed class Form
        {
            public async void OnClick(object sender, EventArgs e) => await Task.Yield();
        }
        """);

    [Fact]
    public Task Fix_returns_Task() => Verify.FixAsync<HandlerSignatureAnalyzer, AsyncVoidHandlerCodeFixProvider>(
        """
        using DingGen;
        using DingGen.Events;

        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async void {|DING005:On|}(BpmsInstanceChange e) => await System.Threading.Tasks.Task.Yield();
        }
        """,
        """
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async Task On(BpmsInstanceChange e) => await System.Threading.Tasks.Task.Yield();
        }
        """);

    [Fact]
    public Task Fix_all_returns_Task_everywhere() => Verify.FixAsync<HandlerSignatureAnalyzer, AsyncVoidHandlerCodeFixProvider>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async void {|DING005:OnInstance|}(BpmsInstanceChange e) => await Task.Yield();

            [DingEvent("bpms_task_change")]
            internal static async void {|DING005:OnTask|}(BpmsTaskChange e, CancellationToken ct) => await Task.Delay(1, ct);
        }
        """,
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public async Task OnInstance(BpmsInstanceChange e) => await Task.Yield();

            [DingEvent("bpms_task_change")]
            internal static async Task OnTask(BpmsTaskChange e, CancellationToken ct) => await Task.Delay(1, ct);
        }
        """);
}
