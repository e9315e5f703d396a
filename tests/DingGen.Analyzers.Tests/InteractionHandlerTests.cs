using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>
/// Robot and card handler shapes: valid shapes report nothing; DING003/DING004/DING005 apply as for events; DING009 (a
/// parameter of another kind of handler) and DING010 (a return type that is not the kind's response), with their fixes.
/// </summary>
public sealed class InteractionHandlerTests
{
    /// <summary>Every valid robot and card shape, beside an event handler.</summary>
    public const string ValidInteractionHandlers = Verify.Usings + """
        using Microsoft.Extensions.DependencyInjection;

        public interface IApprovals { }

        public sealed class Bot
        {
            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
            public Task<DingRobotReply?> OnText(DingRobotMessage message, IApprovals approvals, CancellationToken ct) => Task.FromResult<DingRobotReply?>(null);

            [DingRobotMessage(MsgType = "picture", RobotCode = "robot-2")]
            public DingRobotReply? OnPicture(DingRobotMessageContext context, IApprovals? approvals) => null;

            [DingRobotMessage]
            public static ValueTask<DingRobotReply> OnAny(CancellationToken ct, DingRobotMessage message, [FromKeyedServices("a")] IApprovals approvals) => default;

            [DingRobotMessage(MsgType = DingRobotMessageTypes.RichText)]
            internal async Task OnRich(DingRobotMessage message) => await Task.Yield();

            [DingRobotMessage]
            public void OnNothing() { }

            [DingCardCallback(ActionId = "approve")]
            public ValueTask<DingCardUpdate?> OnApprove(DingCardCallback callback, DingCardCallbackContext context) => default;

            [DingCardCallback]
            public static DingCardUpdate OnAnyCard(DingCardCallback callback) => new DingCardUpdate();

            [DingCardCallback]
            public static ValueTask OnCardLog(DingCardCallbackContext context) => default;

            [DingEvent("bpms_instance_change")]
            public void OnEvent(BpmsInstanceChange e) { }
        }
        """;

    [Fact]
    public Task Valid_robot_and_card_handlers_are_not_reported() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(ValidInteractionHandlers);

    [Fact]
    public Task Valid_robot_and_card_attributes_are_not_reported() => Verify.AnalyzerAsync<InteractionAttributeAnalyzer>(ValidInteractionHandlers);

    [Fact]
    public Task Wrong_parameters_are_reported_on_their_type() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void OnCard({|#0:DingCardCallback|} callback) { }

            [DingRobotMessage]
            public static void OnEventContext({|#1:DingEventContext|} context) { }

            [DingCardCallback]
            public static void OnEvent({|#2:BpmsInstanceChange|} e, {|#3:DingRobotMessageContext|} context) { }

            [DingCardCallback]
            public static void OnRaw({|#4:JsonElement|} raw) { }
        }
        """,
        Verify.Diagnostic(InteractionParameterMismatch).WithLocation(0).WithArguments("OnCard", "parameter 'callback' is a DingCardCallback, which a robot message handler never receives; take a DingRobotMessage"),
        Verify.Diagnostic(InteractionParameterMismatch).WithLocation(1).WithArguments("OnEventContext", "parameter 'context' is a DingEventContext, which a robot message handler never receives; take a DingRobotMessageContext"),
        Verify.Diagnostic(InteractionParameterMismatch).WithLocation(2).WithArguments("OnEvent", "parameter 'e' is a BpmsInstanceChange, which a card callback handler never receives; take a DingCardCallback"),
        Verify.Diagnostic(InteractionParameterMismatch).WithLocation(3).WithArguments("OnEvent", "parameter 'context' is a DingRobotMessageContext, which a card callback handler never receives; take a DingCardCallbackContext"),
        Verify.Diagnostic(InteractionParameterMismatch).WithLocation(4).WithArguments("OnRaw", "parameter 'raw' is a JsonElement, which a card callback handler never receives; take a DingCardCallback"));

    [Fact]
    public Task Fix_takes_the_message_the_handler_receives() => Verify.FixAsync<HandlerSignatureAnalyzer, InteractionParameterCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void OnCard({|DING009:DingCardCallback?|} callback, CancellationToken ct) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void OnCard(DingRobotMessage? callback, CancellationToken ct) { }
        }
        """);

    [Fact]
    public Task Fix_all_takes_the_right_message_and_context_everywhere() => Verify.FixAsync<HandlerSignatureAnalyzer, InteractionParameterCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void OnRobot({|DING009:DingCardCallback|} callback, {|DING009:DingEventContext|} context) { }

            [DingCardCallback]
            public static void OnCard({|DING009:DingRobotMessage|} message, {|DING009:DingRobotMessageContext|} context) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void OnRobot(DingRobotMessage callback, DingRobotMessageContext context) { }

            [DingCardCallback]
            public static void OnCard(DingCardCallback message, DingCardCallbackContext context) { }
        }
        """);

    [Fact]
    public Task Wrong_return_types_are_reported_on_the_return_type() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static {|#0:string|} OnText(DingRobotMessage message) => "hi";

            [DingCardCallback]
            public static {|#1:DingRobotReply?|} OnCard(DingCardCallback callback) => null;

            [DingRobotMessage]
            public static {|#2:Task<DingCardUpdate?>|} OnTask(DingRobotMessage message) => Task.FromResult<DingCardUpdate?>(null);
        }
        """,
        Verify.Diagnostic(InteractionReturnType).WithLocation(0).WithArguments("OnText", "string", "robot message handler", "DingRobotReply"),
        Verify.Diagnostic(InteractionReturnType).WithLocation(1).WithArguments("OnCard", "DingRobotReply?", "card callback handler", "DingCardUpdate"),
        Verify.Diagnostic(InteractionReturnType).WithLocation(2).WithArguments("OnTask", "Task<DingCardUpdate?>", "robot message handler", "DingRobotReply"));

    /// <summary>Outside a nullable context the fix writes no <c>?</c> (it would be warning CS8632 there).</summary>
    [Fact]
    public Task Fix_returns_ValueTask_of_the_reply_from_a_synchronous_handler() => Verify.FixAsync<HandlerSignatureAnalyzer, InteractionReturnTypeCodeFixProvider>(
        """
        using DingGen;
        using DingGen.Events;

        public static class Handlers
        {
            [DingRobotMessage]
            public static {|DING010:string|} OnText(DingRobotMessage message) => message.MsgId;
        }
        """,
        """
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        public static class Handlers
        {
            [DingRobotMessage]
            public static ValueTask<DingRobotReply> OnText(DingRobotMessage message)
            {
                _ = message.MsgId;
                return default;
            }
        }
        """);

    [Fact]
    public Task Fix_all_returns_ValueTask_of_each_kinds_response() => Verify.FixAsync<HandlerSignatureAnalyzer, InteractionReturnTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static async {|DING010:Task<string>|} OnText(DingRobotMessage message)
            {
                await Task.Yield();
                return "hi";
            }

            [DingCardCallback]
            public static async {|DING010:Task<int>|} OnCard(DingCardCallback callback)
            {
                await Task.Yield();
                return 1;
            }

            [DingCardCallback]
            public static {|DING010:bool|} OnOther(DingCardCallback callback)
            {
                return true;
            }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static async ValueTask<DingRobotReply?> OnText(DingRobotMessage message)
            {
                await Task.Yield();
                _ = "hi";
                return null;
            }

            [DingCardCallback]
            public static async ValueTask<DingCardUpdate?> OnCard(DingCardCallback callback)
            {
                await Task.Yield();
                _ = 1;
                return null;
            }

            [DingCardCallback]
            public static ValueTask<DingCardUpdate?> OnOther(DingCardCallback callback)
            {
                _ = true;
                return default;
            }
        }
        """);

    [Fact]
    public Task Call_and_reach_problems_are_DING003_and_DING004_as_for_events() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage]
            public static void {|#0:OnGeneric|}<T>(DingRobotMessage message) { }

            [DingRobotMessage]
            public static void {|#1:OnTwo|}(DingRobotMessage first, DingRobotMessage second) { }

            [DingCardCallback]
            public static void {|#2:OnRef|}(ref DingCardCallback callback) { }

            [DingCardCallback]
            private static void {|#3:OnPrivate|}(DingCardCallback callback) { }

            private static class Hidden
            {
                [DingRobotMessage]
                public static void {|#4:OnHidden|}(DingRobotMessage message) { }
            }

            public static void Register()
            {
                [DingRobotMessage]
                static void {|#5:OnLocal|}(DingRobotMessage message) { }
            }
        }
        """,
        Verify.Diagnostic(HandlerNotCallable).WithLocation(0).WithArguments("OnGeneric", "it is a generic method"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(1).WithArguments("OnTwo", "parameters 'first' and 'second' both take the DingRobotMessage"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(2).WithArguments("OnRef", "parameter 'callback' is passed by reference (ref)"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(3).WithArguments("OnPrivate", "the method is private"),
        Verify.Diagnostic(HandlerNotReachable).WithLocation(4).WithArguments("OnHidden", "type 'Hidden' is private"),
        Verify.Diagnostic(HandlerNotCallable).WithLocation(5).WithArguments("OnLocal", "it is a local function"));

    [Fact]
    public Task Fix_makes_a_private_robot_handler_internal() => Verify.FixAsync<HandlerSignatureAnalyzer, MakeHandlerInternalCodeFixProvider>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingRobotMessage]
            private void {|DING004:OnText|}(DingRobotMessage message) { }
        }
        """,
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingRobotMessage]
            internal void OnText(DingRobotMessage message) { }
        }
        """);

    [Fact]
    public Task Async_void_card_handler_is_DING005_and_the_fix_returns_Task() => Verify.FixAsync<HandlerSignatureAnalyzer, AsyncVoidHandlerCodeFixProvider>(
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingCardCallback]
            public async void {|DING005:OnCard|}(DingCardCallback callback) => await Task.Yield();
        }
        """,
        Verify.Usings + """
        public sealed class Handlers
        {
            [DingCardCallback]
            public async Task OnCard(DingCardCallback callback) => await Task.Yield();
        }
        """);

    [Fact]
    public Task An_event_handler_taking_a_robot_message_is_DING002() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void OnEvent({|#0:DingRobotMessage|} message) { }
        }
        """,
        Verify.Diagnostic(PayloadMismatch).WithLocation(0).WithArguments("DingRobotMessage", "event 'bpms_instance_change'", "use 'BpmsInstanceChange'"));
}
