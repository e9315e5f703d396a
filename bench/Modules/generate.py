#!/usr/bin/env python3
"""Writes the handler modules of the dispatch benchmarks and their hand-written counterparts.

Run from the repository root: python3 bench/Modules/generate.py
Output is deterministic and committed; rerun only to change the modules' shape.

- bench/Modules/DingGen.Bench.Handlers{1,10,100}/BenchHandlers*.cs: one instance handler class per module whose
  [DingEvent] methods each take [DingPayload] ApprovalEvent, DingEventContext and CancellationToken.
- bench/DingGen.Benchmarks/HandWritten/HandWrittenDispatcher{1,10,100}.cs: the same routing written by hand
  (switch over the tags, one DI scope per event, the same JsonTypeInfo, a failure recorded like the generated code).
"""
import os

# DingTalk-style event tags (most are real DingTalk tags; a few are plausible stand-ins to reach 100).
TAGS = """
bpms_instance_change bpms_task_change user_add_org user_modify_org user_leave_org user_active_org org_admin_add
org_admin_remove org_dept_create org_dept_modify org_dept_remove org_remove org_change label_user_change label_conf_add
label_conf_del label_conf_modify chat_add_member chat_remove_member chat_quit chat_update_owner chat_update_title
chat_disband check_in attendance_check_record attendance_schedule_change attendance_overtime_duration
attendance_approve_finish attendance_group_change attendance_shift_change user_dept_change user_role_change
role_create role_modify role_remove role_group_create role_group_remove extcontact_add extcontact_modify
extcontact_remove extcontact_label_change crm_customer_create crm_customer_modify crm_customer_remove crm_contact_create
crm_contact_modify crm_followrecord_create hrm_user_status_change hrm_employee_entry hrm_employee_regular
hrm_employee_leave hrm_employee_transfer hrm_field_change calendar_event_change calendar_event_delete todo_task_create
todo_task_update todo_task_finish todo_task_delete report_create report_comment report_template_change
meetingroom_book meetingroom_cancel meetingroom_room_info live_start live_end live_replay_ready drive_file_create
drive_file_modify drive_file_delete drive_space_change yida_form_data_create yida_form_data_update
yida_form_data_delete yida_process_instance_change edu_student_change edu_class_change edu_guardian_change
edu_teacher_change health_step_update device_alarm device_status_change ding_message_read ding_message_recall
im_robot_message cool_app_install cool_app_uninstall suite_ticket tmp_auth_code change_auth suite_relieve
market_buy org_suite_auth org_micro_app_stop org_micro_app_restore org_micro_app_remove
micro_app_scope_update workbench_shortcut_change exclusive_login
""".split()

assert len(TAGS) == 100 and len(set(TAGS)) == 100, len(TAGS)
SIZES = {1: TAGS[:1], 10: TAGS[:10], 100: TAGS}


def method_name(tag):
    return "On" + "".join(part.capitalize() for part in tag.split("_"))


def header(lines):
    lines.append("// Written by bench/Modules/generate.py; rerun it rather than editing by hand.")


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def module(size):
    tags = sorted(SIZES[size])
    ns = f"DingGen.Bench.Handlers{size}"
    chunk = 50
    for part, start in enumerate(range(0, len(tags), chunk)):
        lines = []
        header(lines)
        lines += ["using DingGen.Bench.Payloads;", "", f"namespace {ns};", ""]
        if part == 0:
            lines += [
                f"/// <summary>The {size} event type(s) of this benchmark module, each handled by one method of an instance class resolved from DI.</summary>",
                "/// <param name=\"sink\">Where the handlers leave what they saw, so the work cannot be elided.</param>",
            ]
        # A primary constructor may appear on one part only.
        lines += ["public sealed partial class BenchHandlers" + ("(BenchSink sink)" if part == 0 else ""), "{"]
        for i, tag in enumerate(tags[start:start + chunk]):
            if i:
                lines.append("")
            lines += [
                f"    /// <summary>Handles <c>{tag}</c>.</summary>",
                f"    [DingEvent(\"{tag}\")]",
                f"    public Task {method_name(tag)}([DingPayload] ApprovalEvent payload, DingEventContext context, CancellationToken cancellationToken) =>",
                "        sink.Accept(payload, context, cancellationToken);",
            ]
        lines.append("}")
        suffix = "" if len(tags) <= chunk else f".Part{part + 1}"
        write(f"bench/Modules/{ns}/BenchHandlers{suffix}.cs", lines)


def hand_written(size):
    tags = sorted(SIZES[size])
    ns = f"DingGen.Bench.Handlers{size}"
    lines = []
    header(lines)
    lines += [
        "using System.Text.Json;",
        "using System.Text.Json.Serialization.Metadata;",
        "using DingGen.Bench.Payloads;",
        "using Microsoft.Extensions.DependencyInjection;",
        "",
        "namespace DingGen.Benchmarks.HandWritten;",
        "",
        f"/// <summary>What a careful developer would write by hand for the {size}-event module: a string switch, one DI scope per event, the same <see cref=\"JsonTypeInfo\"/>.</summary>",
        f"internal sealed class HandWrittenDispatcher{size}(JsonTypeInfo<ApprovalEvent> payloadInfo) : IHandWrittenDispatcher",
        "{",
        "    public ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)",
        "    {",
        "        switch (context.EventType)",
        "        {",
    ]
    for tag in tags:
        lines += [
            f"            case \"{tag}\":",
            f"                return RunAsync(context, static (handlers, payload, ctx) => handlers.{method_name(tag)}(payload, ctx, ctx.CancellationToken));",
        ]
    lines += [
        "            default:",
        "                return new ValueTask<DingDispatchResult>(DingDispatchResult.NotHandled);",
        "        }",
        "    }",
        "",
        f"    private async ValueTask<DingDispatchResult> RunAsync(DingEventContext context, Func<{ns}.BenchHandlers, ApprovalEvent, DingEventContext, Task> handler)",
        "    {",
        "        ApprovalEvent payload;",
        "        try",
        "        {",
        "            payload = JsonSerializer.Deserialize(context.Payload.Span, payloadInfo) ?? throw new JsonException(\"null payload\");",
        "        }",
        "        catch (JsonException exception)",
        "        {",
        "            return DingDispatchResult.Failed([new DingHandlerFailure(\"payload\", context.EventType, exception)]);",
        "        }",
        "",
        "        await using var scope = context.Services.CreateAsyncScope();",
        "        try",
        "        {",
        f"            await handler(scope.ServiceProvider.GetRequiredService<{ns}.BenchHandlers>(), payload, context).ConfigureAwait(false);",
        "            return DingDispatchResult.Handled;",
        "        }",
        "        catch (Exception exception)",
        "        {",
        f"            return DingDispatchResult.Failed([new DingHandlerFailure(\"{ns}.BenchHandlers\", context.EventType, exception)]);",
        "        }",
        "    }",
        "}",
    ]
    write(f"bench/DingGen.Benchmarks/HandWritten/HandWrittenDispatcher{size}.cs", lines)


for n in SIZES:
    module(n)
    hand_written(n)
print("last tag per module:", {n: sorted(t)[-1] for n, t in SIZES.items()})
