namespace DingGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// A small copy of the shape of the Runtime's event catalogue (DESIGN.md decision 1), used only while DingGen.dll does
/// not contain <c>DingGen.DingEventTypes</c> yet. The tests use only tags and records the real catalogue has, so they
/// pass unchanged against it.
/// </summary>
internal static class StandInCatalogue
{
    public const string Source = """
        namespace DingGen
        {
            [System.AttributeUsage(System.AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
            public sealed class DingEventPayloadAttribute : System.Attribute
            {
                public DingEventPayloadAttribute(System.Type payloadType) => PayloadType = payloadType;

                public System.Type PayloadType { get; }
            }

            public static class DingEventTypes
            {
                [DingEventPayload(typeof(DingGen.Events.BpmsInstanceChange))]
                public const string BpmsInstanceChange = "bpms_instance_change";

                [DingEventPayload(typeof(DingGen.Events.BpmsTaskChange))]
                public const string BpmsTaskChange = "bpms_task_change";

                [DingEventPayload(typeof(DingGen.Events.UserAddOrg))]
                public const string UserAddOrg = "user_add_org";

                [DingEventPayload(typeof(DingGen.Events.UserLeaveOrg))]
                public const string UserLeaveOrg = "user_leave_org";

                [DingEventPayload(typeof(DingGen.Events.OrgDeptCreate))]
                public const string OrgDeptCreate = "org_dept_create";
            }
        }

        namespace DingGen.Events
        {
            public record DingGenericEvent(string? EventType);

            public record BpmsInstanceChange(string? ProcessInstanceId, string? Type, string? Result);

            public record BpmsTaskChange(string? ProcessInstanceId, string? Type, string? Result);

            public record DingUserChangeEvent(string[]? UserId);

            public sealed record UserAddOrg(string[]? UserId) : DingUserChangeEvent(UserId);

            public sealed record UserLeaveOrg(string[]? UserId) : DingUserChangeEvent(UserId);

            public record OrgDeptCreate(long[]? DeptId);
        }
        """;
}
