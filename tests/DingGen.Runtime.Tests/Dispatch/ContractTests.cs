using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Runtime.Tests.Dispatch;

public sealed class ContractTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public void EventId_is_the_given_id_else_the_SHA256_of_the_payload()
    {
        var payload = Encoding.UTF8.GetBytes("""{"EventType":"user_add_org"}""");

        var withId = new DingEventContext("user_add_org", payload, Services) { EventId = "4be1c0f7" };
        var withoutId = new DingEventContext("user_add_org", payload, Services);
        var emptyId = new DingEventContext("user_add_org", payload, Services) { EventId = "" };

        Assert.Equal("4be1c0f7", withId.EventId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), withoutId.EventId);
        Assert.Equal(withoutId.EventId, emptyId.EventId);
    }

    [Fact]
    public void Combined_results_fail_when_any_module_failed_and_keep_every_failure()
    {
        var a = new DingHandlerFailure("A.H", "e", new InvalidOperationException());
        var b = new DingHandlerFailure("B.H", "e", new InvalidOperationException());
        var failedA = DingDispatchResult.Failed(new[] { a });
        var failedB = DingDispatchResult.Failed(new[] { b });

        Assert.Equal(DingDispatchStatus.Handled, DingDispatchResult.Combine(DingDispatchResult.NotHandled, DingDispatchResult.Handled).Status);
        Assert.Equal(DingDispatchStatus.NotHandled, DingDispatchResult.Combine(DingDispatchResult.NotHandled, DingDispatchResult.NotHandled).Status);
        Assert.Equal(failedA, DingDispatchResult.Combine(DingDispatchResult.Handled, failedA));
        Assert.Equal(new[] { a, b }, DingDispatchResult.Combine(failedA, failedB).Failures);
        Assert.Equal(DingDispatchStatus.Handled, DingDispatchResult.Completed(new List<DingHandlerFailure>()).Status);
    }

    [Theory]
    [InlineData("""{"EventType":"user_add_org","eventId":"abc","BizId":"biz","CorpId":"ding1"}""", "user_add_org", "abc", "ding1")]
    [InlineData("""{"eventtype":"user_add_org","BIZID":12345,"corpId":"ding2","UserId":["1"]}""", "user_add_org", "12345", "ding2")]
    [InlineData("""{"DataList":[{"EventType":"nested"}],"EventType":"attendance_check_record"}""", "attendance_check_record", null, null)]
    [InlineData("""{"EventType":"chat\u005fdisband"}""", "chat_disband", null, null)]
    public void The_envelope_is_read_case_insensitively_from_top_level_members_only(string json, string eventType, string? stableId, string? corpId)
    {
        Assert.True(DingEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out var envelope, out var error));
        Assert.Null(error);
        Assert.Equal(eventType, Encoding.UTF8.GetString(envelope.EventTypeUtf8));
        Assert.Equal(stableId, envelope.StableId);
        Assert.Equal(corpId, envelope.CorpId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"EventType":"x" """)]
    [InlineData("""{"EventType":"x"} trailing""")]
    [InlineData("\"text\"")]
    public void A_payload_that_is_not_a_JSON_object_is_rejected_with_a_reason(string json)
    {
        Assert.False(DingEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
