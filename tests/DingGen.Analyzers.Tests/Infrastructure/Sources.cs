namespace DingGen.Analyzers.Tests.Infrastructure;

/// <summary>Test sources shared by the rules.</summary>
internal static class Sources
{
    /// <summary>
    /// Valid handlers of every supported shape: static and instance, void/Task/ValueTask, every payload kind (catalogue
    /// record, shared base record, DingGenericEvent, JsonElement, ReadOnlyMemory&lt;byte&gt;, DingCustomEvent type,
    /// [DingPayload]), context and cancellation token, DI services (nullable, keyed), several attributes, constants and
    /// literals, handlers in nested internal types. No analyzer may report anything on them.
    /// </summary>
    public const string ValidHandlers = Verify.Usings + """
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using Microsoft.Extensions.DependencyInjection;

        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public sealed record MyPayload(string? Id);

        public sealed record Envelope(Inner? Body);

        public sealed record Inner(string? Value);

        public interface IClock { }

        public interface IAudit { }

        [JsonSerializable(typeof(CrmCustomerChange))]
        [JsonSerializable(typeof(MyPayload))]
        [JsonSerializable(typeof(Envelope))]
        public sealed class AppJsonContext : JsonSerializerContext
        {
            public AppJsonContext() : base(null) { }

            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }

        public sealed class ApprovalHandlers
        {
            [DingEvent(DingEventTypes.BpmsInstanceChange)]
            public Task OnInstance(BpmsInstanceChange e, DingEventContext context, CancellationToken ct) => Task.CompletedTask;

            [DingEvent("bpms_task_change")]
            public ValueTask OnTask(IClock clock, BpmsTaskChange e, IAudit? audit) => default;

            [DingEvent("user_add_org"), DingEvent("user_leave_org")]
            public void OnStaff(DingUserChangeEvent e) { }

            [DingEvent("user_add_org")]
            [DingEvent(DingEventTypes.UserLeaveOrg)]
            public static void OnStaffGeneric(DingGenericEvent e, CancellationToken ct) { }

            [DingEvent("org_dept_create")]
            internal async Task OnDept(JsonElement payload, [FromKeyedServices("audit")] IAudit audit) => await Task.Yield();

            [DingEvent("bpms_instance_change"), DingEvent("org_dept_create")]
            public static void OnRaw(ReadOnlyMemory<byte> utf8, DingEventContext context) { }

            [DingEvent("crm_customer_change")]
            public static Task OnCustom(CrmCustomerChange e, CancellationToken ct) => Task.CompletedTask;

            [DingEvent("bpms_instance_change")]
            public static void OnMine([DingPayload] MyPayload e) { }

            [DingEvent("bpms_instance_change")]
            public static void OnInner([DingPayload] Inner e) { }

            [DingEvent("bpms_task_change")]
            public static void OnNoPayload(DingEventContext context, IClock? clock) { }
        }

        public class Outer
        {
            internal sealed class NestedHandlers
            {
                [DingEvent("bpms_task_change")]
                public async Task On(BpmsTaskChange? e, IClock clock, CancellationToken ct) => await Task.Delay(1, ct);
            }

            protected internal static void NotAHandler() { }
        }

        """;
}
