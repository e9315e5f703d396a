using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class SuiteEventTests
{
    [Fact]
    public void Check_url_has_only_the_event_type()
    {
        var e = EventJson.Parse<CheckUrlEvent>("""{"EventType":"check_url"}""");

        Assert.Equal(DingEventTypes.CheckUrl, e.EventType);
        Assert.Null(e.Random);
        Assert.Null(e.TestSuiteKey);
        Assert.Null(e.CorpId);
        Assert.Null(e.TimeStamp);
    }

    [Fact]
    public void Check_create_suite_url_reads_random_and_test_suite_key()
    {
        var e = EventJson.Parse<CheckUrlEvent>("""{"EventType":"check_create_suite_url","Random":"Xb7mQ2pL","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}""");

        Assert.Equal(DingEventTypes.CheckCreateSuiteUrl, e.EventType);
        Assert.Equal("Xb7mQ2pL", e.Random);
        Assert.Equal("suite4xxxxxxxxxxxxxxx", e.TestSuiteKey);
    }

    [Fact]
    public void Suite_ticket_legacy_and_stream()
    {
        var legacy = EventJson.Parse<SuiteTicket>(
            """{"SuiteKey":"suiteqm3x8v5k0jz2rwp7","EventType":"suite_ticket","TimeStamp":1717037000000,"SuiteTicket":"Mq7XkP2vZ9sLrT4wYb8NcD1fGh6JjK3m5Qn0Rs2Tu"}""");
        var stream = EventJson.Parse<SuiteTicket>("""{"suiteTicket":"T2"}""");

        Assert.Equal("suiteqm3x8v5k0jz2rwp7", legacy.SuiteKey);
        Assert.Equal("suite_ticket", legacy.EventType);
        Assert.Equal("1717037000000", legacy.TimeStamp);
        Assert.Equal("Mq7XkP2vZ9sLrT4wYb8NcD1fGh6JjK3m5Qn0Rs2Tu", legacy.Ticket);
        Assert.Null(legacy.AuthCorpId);
        Assert.Equal("T2", stream.Ticket);
    }

    [Fact]
    public void Tmp_auth_code()
    {
        var e = EventJson.Parse<TmpAuthCode>(
            """{"TimeStamp":1717037100000,"AuthCode":"8c1f2a3b4d5e6f708192a3b4c5d6e7f8","AuthCorpId":"ding2b3c4d5e6f708192a3b4c5d6e7f80912","EventType":"tmp_auth_code","SuiteKey":"suiteqm3x8v5k0jz2rwp7"}""");

        Assert.Equal("tmp_auth_code", e.EventType);
        Assert.Equal("8c1f2a3b4d5e6f708192a3b4c5d6e7f8", e.AuthCode);
        Assert.Equal("ding2b3c4d5e6f708192a3b4c5d6e7f80912", e.AuthCorpId);
        Assert.Equal("suiteqm3x8v5k0jz2rwp7", e.SuiteKey);
        Assert.Equal(1717037100000L, e.TimeStampMilliseconds);
    }

    [Fact]
    public void Suite_relieve_accepts_a_string_time_stamp_and_change_auth_a_number()
    {
        var relieve = EventJson.Parse<SuiteRelieve>("""{"EventType":"suite_relieve","SuiteKey":"suiteq","AuthCorpId":"dingA","TimeStamp":"1717037100000"}""");
        var change = EventJson.Parse<ChangeAuth>("""{"EventType":"change_auth","SuiteKey":"suiteq","AuthCorpId":"dingA","TimeStamp":1717037100000}""");

        Assert.Equal("1717037100000", relieve.TimeStamp);
        Assert.Equal("1717037100000", change.TimeStamp);
        Assert.Equal("dingA", relieve.AuthCorpId);
    }

    [Fact]
    public void Micro_app_events_read_agent_id_as_int64_in_both_dialects()
    {
        var legacy = EventJson.Parse<OrgMicroAppStop>("""{"EventType":"org_micro_app_stop","AgentId":3123456789,"AppId":"27001","AuthCorpId":"dingA","SuiteKey":"suiteq","TimeStamp":1}""");
        var stream = EventJson.Parse<OrgMicroAppRemove>("""{"agentId":"3123456789"}""");

        Assert.Equal(3123456789L, legacy.AgentId);
        Assert.Equal(27001L, legacy.AppId);
        Assert.Equal(3123456789L, stream.AgentId);
        Assert.Null(stream.AppId);
    }

    [Fact]
    public void Market_buy_types_the_documented_members_and_keeps_the_rest()
    {
        var e = EventJson.Parse<MarketBuy>(
            """{"EventType":"market_buy","SuiteKey":"suiteq","orderId":91234567890,"goodsCode":"DT_GOODS_1","goodsName":"考勤助手","buyCorpId":"dingB","corpId":"dingB","itemCode":"item1","itemName":"标准版","subQuantity":1,"maxOfPeople":500,"minOfPeople":1,"serviceStartTime":1717000000000,"serviceStopTime":1748536000000,"paidtime":1717000001000,"payFee":990000,"nominalPayFee":1200000,"discountFee":210000,"discount":0.825,"orderType":"BUY","orderChargeType":"PAY","saleModelType":"CYC_UPGRADE_MEMBER","buyUserId":"0214382847291053","outTradeNo":20240601123456789012,"articleType":"app","mainArticleCode":"FW_GOODS-1"}""");

        Assert.Equal(91234567890L, e.OrderId);
        Assert.Equal("20240601123456789012", e.OutTradeNo);
        Assert.Equal("考勤助手", e.GoodsName);
        Assert.Equal(1717000001000L, e.PaidTime);
        Assert.Equal(990000L, e.PayFee);
        Assert.Equal(0.825, e.Discount);
        Assert.Equal("0214382847291053", e.BuyUserId);
        Assert.Equal("dingB", e.CorpId);
        Assert.NotNull(e.Extra);
        Assert.Equal("app", e.Extra["articleType"].GetString());
        Assert.False(e.Extra.ContainsKey("orderId"));
    }

    [Fact]
    public void Main_data_subscribe_reads_nested_objects()
    {
        var e = EventJson.Parse<MainDataSubscribe>(
            """{"EventType":"main_data_subscribe","targetApp":{"appId":1},"MainEventModelId":"m1","SubAuth":{"create":true,"read":true,"update":false,"delete":false},"IsCreate":true,"TimeStamp":1,"AuthCorpId":"dingA"}""");

        Assert.Equal(1, e.TargetApp!.Value.GetProperty("appId").GetInt32());
        Assert.Equal("m1", e.MainEventModelId);
        Assert.Equal(true, e.SubAuth?.Create);
        Assert.Equal(false, e.SubAuth?.Delete);
        Assert.Equal(true, e.IsCreate);
    }

    [Fact]
    public void Org_suite_auth_keeps_objects_raw()
    {
        var e = EventJson.Parse<OrgSuiteAuth>("""{"authCorpInfo":{"corpid":"dingA","corp_name":"某公司"},"authInfo":{"agent":[]},"permanentCode":"pc1"}""");

        Assert.Equal("某公司", e.AuthCorpInfo!.Value.GetProperty("corp_name").GetString());
        Assert.Equal("pc1", e.PermanentCode);
        Assert.Null(e.AuthScope);
    }
}
