using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class ChatEventTests
{
    private const string Corp = "ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3";

    [Fact]
    public void Chat_add_member_legacy_reads_pascal_case_and_a_numeric_time_stamp()
    {
        var e = EventJson.Parse<ChatAddMember>(
            """{"Operator":"manager7791","OpenConversationId":"cidQ3kS9vLm2pX7rT1wYz8A==","CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","EventType":"chat_add_member","UserId":["0214382847291053"],"TimeStamp":1717036500123,"ChatId":"chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"}""");

        Assert.Equal(DingEventTypes.ChatAddMember, e.EventType);
        Assert.Equal("manager7791", e.Operator);
        Assert.Equal("cidQ3kS9vLm2pX7rT1wYz8A==", e.OpenConversationId);
        Assert.Equal(Corp, e.CorpId);
        Assert.Equal(["0214382847291053"], e.UserId);
        Assert.Equal("1717036500123", e.TimeStamp);
        Assert.Equal(1717036500123L, e.TimeStampMilliseconds);
        Assert.Equal("chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b", e.ChatId);
        Assert.Null(e.UnionId);
        Assert.Null(e.OperatorUnionId);
    }

    [Fact]
    public void Chat_update_title_console_with_both_CorpId_and_corpId_does_not_throw()
    {
        var e = EventJson.Parse<ChatUpdateTitle>(
            """{"EventType":"chat_update_title","EventTime":1717036600456,"CorpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","BizId":"1717036600456","eventId":"a1b2c3d4e5f60718293a4b5c6d7e8f90","timeStamp":1717036600400,"chatId":"chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b","corpId":"ding7c2f1a9e4b6d83500a8f2e6c91d4b7e3","operatorUnionId":"iPq2Xs7Lm9VbKc4iE","title":"项目协作群（新）","openConversationId":"cidQ3kS9vLm2pX7rT1wYz8A==","operator":"manager7791"}""");

        Assert.Equal(Corp, e.CorpId);
        Assert.Equal(1717036600456L, e.EventTime);
        Assert.Equal("1717036600456", e.BizId);
        Assert.Equal("a1b2c3d4e5f60718293a4b5c6d7e8f90", e.EventId);
        Assert.Equal("1717036600400", e.TimeStamp);
        Assert.Equal("chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b", e.ChatId);
        Assert.Equal("iPq2Xs7Lm9VbKc4iE", e.OperatorUnionId);
        Assert.Equal("项目协作群（新）", e.Title);
        Assert.Equal("manager7791", e.Operator);
    }

    [Fact]
    public void Members_repeated_under_two_spellings_take_the_later_value()
    {
        // Documented behaviour: case-insensitive matching sees CorpId and corpId as the same member; the later wins.
        var e = EventJson.Parse<ChatUpdateTitle>("""{"CorpId":"first","eventType":"chat_update_title","corpId":"second","EventType":"chat_update_title"}""");

        Assert.Equal("second", e.CorpId);
        Assert.Equal("chat_update_title", e.EventType);
    }

    [Fact]
    public void Chat_update_title_stream_data()
    {
        var e = EventJson.Parse<ChatUpdateTitle>(
            """{"timeStamp":1717036600400,"chatId":"chat5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b","operatorUnionId":"iPq2Xs7Lm9VbKc4iE","title":"项目协作群（新）","openConversationId":"cidQ3kS9vLm2pX7rT1wYz8A==","operator":"manager7791"}""");

        Assert.Null(e.EventType);
        Assert.Null(e.CorpId);
        Assert.Equal("1717036600400", e.TimeStamp);
        Assert.Equal("项目协作群（新）", e.Title);
        Assert.Equal("cidQ3kS9vLm2pX7rT1wYz8A==", e.OpenConversationId);
    }

    [Fact]
    public void Chat_disband_legacy()
    {
        var e = EventJson.Parse<ChatDisband>(
            """{"Operator":"ops_lead_05","OpenConversationId":"cidA1b2C3d4E5f6G7h8I9j0K==","CorpId":"ding5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","EventType":"chat_disband","TimeStamp":1719812000000,"ChatId":"chat1a2b3c4d5e6f708192a3b4c5d6e7f809"}""");

        Assert.Equal("chat_disband", e.EventType);
        Assert.Equal("ops_lead_05", e.Operator);
        Assert.Equal("chat1a2b3c4d5e6f708192a3b4c5d6e7f809", e.ChatId);
        Assert.Equal("1719812000000", e.TimeStamp);
    }

    [Fact]
    public void Chat_remove_member_console_reads_union_ids()
    {
        var e = EventJson.Parse<ChatRemoveMember>(
            """{"eventType":"chat_remove_member","timeStamp":1717036500123,"chatId":"chat5e","corpId":"dingc","openConversationId":"cid1","operator":"manager7791","operatorUnionId":"uOp","userId":["0214382847291053"],"unionId":["uA"]}""");

        Assert.Equal("chat_remove_member", e.EventType);
        Assert.Equal(["0214382847291053"], e.UserId);
        Assert.Equal(["uA"], e.UnionId);
        Assert.Equal("uOp", e.OperatorUnionId);
    }

    [Fact]
    public void Chat_update_owner_and_quit()
    {
        var owner = EventJson.Parse<ChatUpdateOwner>("""{"EventType":"chat_update_owner","Owner":"manager7791","ChatId":"chat5e","TimeStamp":1}""");
        var quit = EventJson.Parse<ChatQuit>("""{"EventType":"chat_quit","Operator":"ops_lead_05","ChatId":"chat5e"}""");

        Assert.Equal("manager7791", owner.Owner);
        Assert.Null(owner.Operator);
        Assert.Equal("ops_lead_05", quit.Operator);
    }
}
