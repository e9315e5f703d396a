using System.Reflection;
using System.Text.Json;
using DingGen.Events;
using DingGen.Runtime.Tests.Crypto;

namespace DingGen.Runtime.Tests.Events;

/// <summary>Decrypt-then-parse: every positive crypto vector whose plaintext is an event decodes into its catalogue type.</summary>
public sealed class VectorPayloadTests
{
    private static readonly Dictionary<string, Type> PayloadByTag = typeof(DingEventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .ToDictionary(f => (string)f.GetRawConstantValue()!, f => f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType, StringComparer.Ordinal);

    public static TheoryData<string> EventVectorIds()
    {
        var data = new TheoryData<string>();
        foreach (var vector in CryptoVectors.Positive)
        {
            if (EventTypeOf(vector.Text("plaintext")) is not null)
            {
                data.Add(vector.Text("id"));
            }
        }

        return data;
    }

    [Fact]
    public void The_vectors_hold_the_expected_events()
    {
        var tags = CryptoVectors.Positive.Select(v => EventTypeOf(v.Text("plaintext"))).OfType<string>().ToHashSet();

        Assert.Superset(
            new HashSet<string> { "check_url", "user_add_org", "user_leave_org", "user_modify_org", "org_dept_create", "bpms_instance_change", "bpms_task_change", "chat_add_member", "chat_update_title", "suite_ticket", "tmp_auth_code", "attendance_check_record", "check_in", "label_user_change" },
            tags);
    }

    [Theory]
    [MemberData(nameof(EventVectorIds))]
    public void Decrypted_event_parses_into_its_catalogue_type(string id)
    {
        var v = CryptoVectors.PositiveById(id);
        var crypto = new DingCallbackCrypto(v.Text("token"), v.Text("aesKey"), v.Text("ownerKey"));
        var plaintext = crypto.Decrypt(v.Text("signature"), v.Text("timestamp"), v.Text("nonce"), v.Text("encrypt"));

        Assert.True(DingEnvelope.TryRead(plaintext, out var envelope, out var error), error);
        var tag = System.Text.Encoding.UTF8.GetString(envelope.EventTypeUtf8);
        Assert.True(PayloadByTag.TryGetValue(tag, out var type), $"'{tag}' is not in the catalogue");

        var payload = (DingEventPayload)EventJson.Parse(type, plaintext);

        Assert.Equal(tag, payload.EventType);
        Assert.Equal(envelope.CorpId, payload.CorpId);
        Assert.Equal(envelope.EventId, payload.EventId);
        Assert.Equal(envelope.BizId, payload.BizId);
        switch (payload)
        {
            case DingUserChangeEvent user:
                Assert.NotEmpty(user.UserId!);
                break;
            case DingDeptChangeEvent dept:
                Assert.Equal([612345678L], dept.DeptId);
                break;
            case DingBpmsEvent bpms:
                Assert.True(bpms.ProcessInstanceId is not null || id == "s-pos-030");
                break;
            case DingChatEvent chat:
                Assert.StartsWith("chat", chat.ChatId, StringComparison.Ordinal);
                break;
            case AttendanceCheckRecord attendance:
                Assert.Equal("0214382847291053", Assert.Single(attendance.DataList!).UserId);
                break;
            case DingSuiteEvent suite:
                Assert.Equal("suiteqm3x8v5k0jz2rwp7", suite.SuiteKey);
                break;
        }
    }

    private static string? EventTypeOf(string plaintext)
    {
        if (!plaintext.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(plaintext);
            return doc.RootElement.TryGetProperty("EventType", out var tag) ? tag.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
