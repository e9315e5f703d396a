namespace DingGen.Generator.Tests.Infrastructure;

/// <summary>
/// Handler sources shared by the snapshot, compile and incrementality tests. Every type is <c>internal</c> (or documented)
/// so that <c>DocumentationMode.Diagnose</c> reports nothing about the test source itself. The real catalogue records
/// (<c>DingGen.Events.*</c>) are not used: payloads are <c>[DingPayload]</c> types, custom events, <c>JsonElement</c>
/// and <c>ReadOnlyMemory&lt;byte&gt;</c>.
/// </summary>
internal static class TestSources
{
    /// <summary>No handler at all: the skeleton is still emitted.</summary>
    public const string NoHandlers = """
        namespace Sample;

        internal sealed class NotAHandler
        {
            public void Run()
            {
            }
        }
        """;

    /// <summary>One instance handler with a <c>[DingPayload]</c> record, as a catalogue record would be taken.</summary>
    public const string InstanceHandlerWithTypedPayload = """
        using DingGen;

        namespace Sample;

        internal sealed record InstanceChange(string? ProcessInstanceId, string? Result);

        internal sealed class ApprovalHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnInstanceChange([DingPayload] InstanceChange change)
            {
            }
        }
        """;

    /// <summary>Every payload kind: a custom event type (no attribute on the parameter), <c>JsonElement</c>, UTF-8 memory.</summary>
    public const string PayloadKinds = """
        using System;
        using System.Text.Json;
        using DingGen;

        [assembly: DingCustomEvent("my_event", typeof(Sample.MyPayload))]

        namespace Sample;

        internal sealed record MyPayload(string? Id);

        internal sealed class PayloadHandlers
        {
            [DingEvent("my_event")]
            public void OnMyEvent(MyPayload payload)
            {
            }

            [DingEvent("my_event")]
            public static void OnMyEventRaw(JsonElement payload)
            {
            }

            [DingEvent("user_add_org")]
            public static void OnUserBytes(ReadOnlyMemory<byte> payload)
            {
            }

            [DingEvent("user_add_org")]
            public static void OnUserJson(JsonElement payload)
            {
            }
        }
        """;

    /// <summary>Static and instance handlers of one event, and one method carrying several attributes.</summary>
    public const string StaticAndInstanceHandlers = """
        using DingGen;

        namespace Sample.Approvals;

        internal sealed record Change(string? Id);

        internal sealed class InstanceHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnChange([DingPayload] Change change)
            {
            }

            [DingEvent("user_leave_org")]
            [DingEvent("user_add_org"), DingEvent("user_modify_org")]
            public void OnStaffChange()
            {
            }
        }

        internal static class StaticHandlers
        {
            [DingEvent("bpms_instance_change")]
            public static void OnChange([DingPayload] Change change, DingEventContext context)
            {
            }

            [DingEvent("bpms_instance_change")]
            [DingEvent("bpms_task_change")]
            public static void Audit(DingEventContext context)
            {
            }
        }
        """;

    /// <summary>DI services (required, nullable, keyed, nullable keyed, value-type keys), context and token in mixed order.</summary>
    public const string ServiceParameters = """
        using System.Threading;
        using DingGen;
        using Microsoft.Extensions.DependencyInjection;

        namespace Sample;

        internal interface IClock
        {
        }

        internal interface IAudit
        {
        }

        internal interface IStore
        {
        }

        internal enum Region
        {
            North = 1,
        }

        internal sealed class ServiceHandlers
        {
            [DingEvent("bpms_instance_change")]
            public void OnChange(
                CancellationToken cancellationToken,
                IClock clock,
                [FromKeyedServices("k")] IStore store,
                DingEventContext context,
                IAudit? audit,
                [FromKeyedServices(42)] IStore? maybeStore,
                [FromKeyedServices(Region.North)] IStore regional)
            {
            }

            [DingEvent("bpms_instance_change")]
            public static void OnChangeStatic(IClock clock, CancellationToken cancellationToken)
            {
            }
        }
        """;

    /// <summary>void, Task, ValueTask (and async) returns, including an event whose only handler is static and void.</summary>
    public const string ReturnKinds = """
        using System.Threading.Tasks;
        using DingGen;

        namespace Sample;

        internal sealed class ReturnHandlers
        {
            [DingEvent("a_void")]
            public void OnVoid()
            {
            }

            [DingEvent("b_task")]
            public Task OnTask() => Task.CompletedTask;

            [DingEvent("c_value_task")]
            public ValueTask OnValueTask() => default;

            [DingEvent("d_async")]
            public async Task OnAsync() => await Task.Yield();

            [DingEvent("e_static_void")]
            public static void OnStaticVoid()
            {
            }

            [DingEvent("f_static_value_task")]
            public static ValueTask OnStaticValueTask() => default;
        }
        """;

    /// <summary>Handlers the generated code cannot call are skipped; one valid handler shows what is kept.</summary>
    public const string InvalidHandlers = """
        using System.Threading.Tasks;
        using DingGen;

        namespace Sample;

        internal sealed class InvalidHandlers
        {
            [DingEvent("generic")]
            public void OnGeneric<T>()
            {
            }

            [DingEvent("by_ref")]
            public void OnByRef(ref int value)
            {
            }

            [DingEvent("private")]
            private void OnPrivate()
            {
            }

            [DingEvent("check_url")]
            public void OnCheckUrl()
            {
            }

            [DingEvent("")]
            public void OnEmpty()
            {
            }

            [DingEvent("   ")]
            public void OnBlank()
            {
            }

            [DingEvent("returns_int")]
            public int OnReturnsInt() => 0;

            [DingEvent("valid")]
            [DingEvent("check_create_suite_url")]
            public Task OnValid() => Task.CompletedTask;

            internal void UsePrivate() => OnPrivate();
        }
        """;

    /// <summary>Tags that need escaping, ordinal ordering and duplicates across methods.</summary>
    public const string TagEscapingAndOrdering = """
        using DingGen;

        namespace Sample;

        internal static class OddTags
        {
            [DingEvent("quote\"tag")]
            [DingEvent("back\\slash")]
            public static void OnEscaped()
            {
            }

            [DingEvent("审批_变更")]
            [DingEvent("emoji_\U0001F600")]
            [DingEvent("tab\tand\u0085next")]
            public static void OnUnicode()
            {
            }

            [DingEvent("b")]
            [DingEvent("B")]
            [DingEvent("a_b")]
            [DingEvent("a-b")]
            [DingEvent("a")]
            public static void OnOrdering()
            {
            }

            [DingEvent("b")]
            [DingEvent("a")]
            [DingEvent("a")]
            public static void OnDuplicates()
            {
            }
        }
        """;

    /// <summary>Names that need care: nested types, keyword identifiers, [Obsolete] members, static interface methods.</summary>
    public const string NamesNeedingCare = """
        using System;
        using System.Text.Json;
        using DingGen;

        namespace Sample.@namespace;

        internal static class Outer
        {
            internal sealed class @class
            {
                [DingEvent("keyword")]
                public void @event(JsonElement @object)
                {
                }
            }
        }

        internal interface IStaticHandlers
        {
            [DingEvent("interface")]
            static void OnPlain()
            {
            }

            [DingEvent("interface")]
            static virtual void OnVirtual()
            {
            }
        }

        internal static class ObsoleteHandlers
        {
            [Obsolete("use the new one")]
            [DingEvent("obsolete")]
            public static void OnOld()
            {
            }

            [Obsolete("gone", error: true)]
            [DingEvent("obsolete")]
            public static void OnGone()
            {
            }
        }
        """;

    /// <summary>
    /// Robot and card handlers beside an event handler: filters (msgtype, robot code, action id), static and instance
    /// handlers, services (required, optional, keyed), context and cancellation token, every return shape.
    /// </summary>
    public const string RobotAndCardHandlers = """
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;
        using Microsoft.Extensions.DependencyInjection;

        namespace Sample;

        internal interface IApprovals
        {
            string StateOf(string id);
        }

        internal interface IAudit
        {
        }

        internal sealed class HelpdeskBot
        {
            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
            public async Task<DingRobotReply?> OnText(DingRobotMessage message, IApprovals approvals, CancellationToken cancellationToken)
            {
                await Task.Delay(0, cancellationToken);
                return DingRobotReply.FromText(approvals.StateOf(message.TextContent ?? string.Empty), []);
            }

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Picture, RobotCode = "ding-robot-2")]
            public DingRobotReply OnPicture(DingRobotMessageContext context, IAudit? audit) => DingRobotReply.FromText(context.Message.MsgId, []);

            [DingRobotMessage]
            public static ValueTask Log(DingRobotMessage message, [FromKeyedServices("audit")] IAudit audit) => default;

            [DingCardCallback(ActionId = "remind")]
            public ValueTask<DingCardUpdate?> OnRemind(DingCardCallback callback, DingCardCallbackContext context, IApprovals approvals) =>
                new(new DingCardUpdate().Set("state", approvals.StateOf(callback.OutTrackId)));

            [DingEvent("bpms_instance_change")]
            public void OnInstanceChange(JsonElement payload)
            {
            }
        }

        internal static class CardLog
        {
            [DingCardCallback]
            public static void OnAny(DingCardCallback callback, IAudit? audit)
            {
            }

            [DingCardCallback(ActionId = "approve")]
            public static DingCardUpdate? OnApprove(DingCardCallback callback) => null;
        }
        """;

    /// <summary>Only static, synchronous, filtered robot handlers: the dispatch method is synchronous and returns early; no card handler.</summary>
    public const string FilteredStaticRobotHandlers = """
        using DingGen;
        using DingGen.Events;

        namespace Sample;

        internal static class Echo
        {
            [DingRobotMessage(MsgType = "text")]
            public static DingRobotReply? OnText(DingRobotMessage message) => DingRobotReply.FromText(message.TextContent ?? string.Empty, []);

            [DingRobotMessage(RobotCode = "robot\"quoted")]
            public static void OnQuoted()
            {
            }
        }
        """;

    /// <summary>Robot and card handlers the generated code cannot call: the generator skips each (the analyzers report them).</summary>
    public const string InvalidInteractionHandlers = """
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        namespace Sample;

        internal sealed class BadHandlers
        {
            [DingRobotMessage]
            public static void WrongPayload(DingCardCallback callback)
            {
            }

            [DingRobotMessage]
            public static void WrongContext(DingCardCallbackContext context)
            {
            }

            [DingCardCallback]
            public static DingRobotReply? WrongReturn(DingCardCallback callback) => null;

            [DingRobotMessage]
            public static Task<string> WrongTaskReturn(DingRobotMessage message) => Task.FromResult("x");

            [DingRobotMessage]
            public static void TwoMessages(DingRobotMessage first, DingRobotMessage second)
            {
            }

            [DingRobotMessage]
            public static void Generic<T>(DingRobotMessage message)
            {
            }

            [DingRobotMessage]
            public static void ByRef(in DingRobotMessage message)
            {
            }

            [DingRobotMessage]
            private static void Hidden(DingRobotMessage message)
            {
            }

            [DingRobotMessage]
            [DingEvent("bpms_instance_change")]
            public static void Mixed(DingRobotMessage message)
            {
            }

            [DingRobotMessage]
            [DingCardCallback]
            public static void BothInteractions()
            {
            }
        }
        """;
}
