using System.Net;
using System.Text.Json;
using DingGen.OpenApi.Tests.Infrastructure;
using DingGen.Testing;

namespace DingGen.OpenApi.Tests;

/// <summary><see cref="DingTalkClient"/>'s robot message and interactive card methods (api.dingtalk.com) against the fake DingTalk.</summary>
public sealed class RobotApiTests
{
    [Fact(Timeout = 30_000)]
    public async Task A_group_message_carries_robotCode_conversation_msgKey_and_msgParam_as_a_JSON_string_with_the_token_header()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var key = await f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", DingRobotReply.FromText("审批 42：已通过"));

        Assert.NotEmpty(key);
        var reply = Assert.Single(f.Server.RobotReplies);
        Assert.Equal((FakeRobotReplyRoute.GroupMessage, "cidGroup1", OpenApiKeys.AppKey, "sampleText", "审批 42：已通过"), (reply.Route, reply.ConversationId, reply.RobotCode, reply.MsgKey, reply.Text));
        using var body = JsonDocument.Parse(reply.BodyJson);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("msgParam").ValueKind);
        Assert.Equal("""{"content":"审批 42：已通过"}""", body.RootElement.GetProperty("msgParam").GetString());
        Assert.Equal(1, f.Server.TokenRequests);
        Assert.Contains(f.Server.Requests, r => r.Path == DingTalkClient.RobotGroupMessagesPath && r.StatusCode == 200);
        Assert.DoesNotContain(OpenApiKeys.AppSecret, f.AllLogText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Action_cards_map_to_sampleActionCard_for_one_button_and_sampleActionCardN_for_two_to_five()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var one = DingRobotReply.FromActionCard("T", "md", new DingRobotButton("Open", "https://e/1"));
        var five = DingRobotReply.FromActionCard("T", "md", Enumerable.Range(1, 5).Select(i => new DingRobotButton("B" + i, "https://e/" + i)).ToArray());

        await f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", one);
        await f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", five);

        var replies = f.Server.RobotReplies;
        Assert.Equal("sampleActionCard", replies[0].MsgKey);
        Assert.Equal([new DingRobotButton("Open", "https://e/1")], replies[0].Buttons);
        Assert.Equal("sampleActionCard5", replies[1].MsgKey);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => new DingRobotButton("B" + i, "https://e/" + i)), replies[1].Buttons);
        using var body = JsonDocument.Parse(JsonDocument.Parse(replies[1].BodyJson).RootElement.GetProperty("msgParam").GetString()!);
        Assert.Equal("https://e/5", body.RootElement.GetProperty("actionURL5").GetString());

        var six = DingRobotReply.FromActionCard("T", "md", Enumerable.Range(1, 6).Select(i => new DingRobotButton("B" + i, "https://e/" + i)).ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", six));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", DingRobotReply.FromInteractiveCard("t", "b", new Dictionary<string, string>())));
        Assert.Equal(2, f.Server.RobotReplies.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_one_to_one_message_goes_to_the_user_ids_and_returns_what_DingTalk_said()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var result = await f.Client.SendRobotOneToOneMessageAsync(OpenApiKeys.AppKey, ["user42", "user7", "user42"], DingRobotReply.FromMarkdown("Approval", "**ok**"));

        Assert.NotEmpty(result.ProcessQueryKey);
        Assert.Empty(result.InvalidStaffIds);
        Assert.Empty(result.FlowControlledStaffIds);
        var reply = Assert.Single(f.Server.RobotReplies);
        Assert.Equal((FakeRobotReplyRoute.OneToOneMessage, "sampleMarkdown", "Approval", "**ok**"), (reply.Route, reply.MsgKey, reply.Title, reply.Text));
        Assert.Equal(["user42", "user7"], reply.UserIds);
    }

    [Fact(Timeout = 30_000)]
    public async Task Interactive_cards_carry_cardData_and_singleChatReceiver_as_JSON_strings()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var card = DingRobotReply.FromInteractiveCard("tpl.approval", "card-42", new Dictionary<string, string> { ["title"] = "审批 42", ["state"] = "waiting" });

        await f.Client.SendInteractiveCardToGroupAsync(OpenApiKeys.AppKey, "cidGroup1", card);
        await f.Client.SendInteractiveCardToUserAsync(OpenApiKeys.AppKey, "user42", card);

        var replies = f.Server.RobotReplies;
        Assert.Equal(2, replies.Count);
        Assert.Equal("cidGroup1", replies[0].ConversationId);
        Assert.Equal(["user42"], replies[1].UserIds);
        Assert.All(replies, r => Assert.Equal(new Dictionary<string, string> { ["title"] = "审批 42", ["state"] = "waiting" }, r.CardParams));
        using var body = JsonDocument.Parse(replies[1].BodyJson);
        Assert.Equal("""{"userId":"user42"}""", body.RootElement.GetProperty("singleChatReceiver").GetString());
        Assert.Equal("""{"cardParamMap":{"state":"waiting","title":"审批 42"}}""", body.RootElement.GetProperty("cardData").GetString());
        Assert.False(body.RootElement.TryGetProperty("openConversationId", out _));

        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.SendInteractiveCardToUserAsync(OpenApiKeys.AppKey, "user42", DingRobotReply.FromText("x")));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_rejected_token_is_refreshed_once_and_the_send_retried()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await f.Client.GetAccessTokenAsync();
        f.Server.RevokeTokens();

        await f.Client.SendRobotGroupMessageAsync(OpenApiKeys.AppKey, "cidGroup1", DingRobotReply.FromText("hi"));

        Assert.Equal(2, f.Server.TokenRequests);
        Assert.Single(f.Server.RobotReplies);
        Assert.Contains(f.Server.Requests, r => r.Path == DingTalkClient.RobotGroupMessagesPath && r.StatusCode == 401);
    }

    [Fact(Timeout = 30_000)]
    public async Task HTTP_503_is_retried_and_a_refusal_is_a_DingTalkApiException_with_DingTalks_code()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.FailNextWithHttpStatus(DingTalkClient.RobotOneToOneMessagesPath, HttpStatusCode.ServiceUnavailable);

        await f.Client.SendRobotOneToOneMessageAsync(OpenApiKeys.AppKey, ["user42"], DingRobotReply.FromText("hi"));
        Assert.Single(f.Server.RobotReplies);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.SendRobotGroupMessageAsync("dingotherrobot", "cidGroup1", DingRobotReply.FromText("hi")));
        Assert.Equal(400, ex.ErrorCode);
        Assert.Equal("invalidParameter", ex.SubCode);
        Assert.Equal(DingTalkClient.RobotGroupMessagesPath, ex.Api);
        Assert.Contains("no such robot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("robotCode", ex.Hint, StringComparison.Ordinal);

        f.Server.FailNext(DingTalkClient.RobotInteractiveCardsPath, 403, "Forbidden.AccessDenied");
        var card = DingRobotReply.FromInteractiveCard("t", "b", new Dictionary<string, string>());
        var forbidden = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.SendInteractiveCardToGroupAsync(OpenApiKeys.AppKey, "cidGroup1", card));
        Assert.Equal("403", forbidden.SubCode);
        Assert.Single(f.Server.RobotReplies);
    }

    [Fact]
    public void The_robot_apis_live_on_api_dingtalk_com_unless_the_base_address_points_elsewhere()
    {
        using var http = new HttpClient();
        var options = new DingTalkClientOptions { AppKey = "k", AppSecret = "s" };
        Assert.Equal(new Uri(DingTalkClientOptions.DefaultApiBaseAddress), new DingTalkClient(http, options).ApiBaseAddress);

        options.BaseAddress = new Uri("http://127.0.0.1:5000/");
        Assert.Equal(options.BaseAddress, new DingTalkClient(http, options).ApiBaseAddress);

        options.ApiBaseAddress = new Uri("http://127.0.0.1:6000/");
        Assert.Equal(options.ApiBaseAddress, new DingTalkClient(http, options).ApiBaseAddress);

        options.ApiBaseAddress = new Uri("/relative", UriKind.Relative);
        var ex = Assert.Throws<ArgumentException>(() => new DingTalkClient(http, options));
        Assert.Contains("OpenApi:ApiBaseAddress", ex.Message, StringComparison.Ordinal);
    }
}
