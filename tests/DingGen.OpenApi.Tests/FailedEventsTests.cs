using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class FailedEventsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Pages_hold_at_most_200_entries_and_has_more_says_when_to_call_again()
    {
        await using var f = await OpenApiFixture.StartAsync();
        var time = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 450; i++)
        {
            f.Server.EnqueueFailedEvent("user_add_org", time.AddSeconds(i), $$"""{"corpid":"{{OpenApiKeys.CorpId}}","userid":["u{{i}}"]}""");
        }

        var pages = new List<DingFailedEventPage>();
        DingFailedEventPage page;
        do
        {
            page = await f.Client.GetFailedEventsAsync();
            pages.Add(page);
        }
        while (page.HasMore && pages.Count < 10);

        Assert.Equal([200, 200, 50], pages.Select(p => p.Events.Count));
        Assert.Equal([true, true, false], pages.Select(p => p.HasMore));
        var all = pages.SelectMany(p => p.Events).ToArray();
        Assert.Equal(Enumerable.Range(0, 450).Select(i => time.AddSeconds(i)), all.Select(e => e.EventTime));
        Assert.All(all, e => Assert.Equal(("user_add_org", OpenApiKeys.CorpId), (e.Tag, e.CorpId)));
        Assert.Equal($$"""{"corpid":"{{OpenApiKeys.CorpId}}","userid":["u449"]}""", all[^1].DataJson);
    }

    [Fact(Timeout = 30_000)]
    public async Task Entries_keep_their_raw_json_and_the_tag_member_as_object_or_java_map_string()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.EnqueueFailedEvent("bpms_instance_change", DateTimeOffset.FromUnixTimeMilliseconds(1606126433000), """{"corpid":"dingA","bpmsCallBackData":{"processInstanceId":"pi-1","type":"finish","result":"agree"}}""");
        f.Server.EnqueueFailedEventJson("""{"call_back_tag":"user_modify_org","event_time":"1606126433001","user_modify_org":"{corpid=dingB, userid=[a, b]}"}""");
        f.Server.EnqueueFailedEventJson("""{"call_back_tag":"label_conf_add","event_time":1606126433002}""");
        f.Server.EnqueueFailedEventJson("""{"event_time":1606126433003,"no_tag":{}}""");
        f.Server.EnqueueFailedEventJson("42");

        var page = await f.Client.GetFailedEventsAsync();

        Assert.False(page.HasMore);
        Assert.Equal(3, page.Events.Count);

        var approval = page.Events[0];
        Assert.Equal("bpms_instance_change", approval.Tag);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1606126433000), approval.EventTime);
        Assert.Equal("dingA", approval.CorpId);
        Assert.Equal("""{"corpid":"dingA","bpmsCallBackData":{"processInstanceId":"pi-1","type":"finish","result":"agree"}}""", approval.DataJson);
        Assert.Contains("\"call_back_tag\":\"bpms_instance_change\"", approval.RawJson, StringComparison.Ordinal);

        var javaMap = page.Events[1];
        Assert.Equal("{corpid=dingB, userid=[a, b]}", javaMap.DataJson);
        Assert.Equal("dingB", javaMap.CorpId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1606126433001), javaMap.EventTime);

        var bare = page.Events[2];
        Assert.Null(bare.DataJson);
        Assert.Null(bare.CorpId);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_empty_list_is_an_empty_page()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var page = await f.Client.GetFailedEventsAsync();

        Assert.Empty(page.Events);
        Assert.False(page.HasMore);
    }

    [Theory]
    [InlineData("{corpid=dingX}", "corpid", "dingX")]
    [InlineData("{userid=[a, b], corpid=dingY}", "corpid", "dingY")]
    [InlineData("{data={corpid=inner}, corpid=outer}", "corpid", "outer")]
    [InlineData("{userid=[a, b]}", "corpid", null)]
    [InlineData("not a map", "corpid", null)]
    [InlineData("", "corpid", null)]
    public void Java_map_strings_are_read_without_being_fooled_by_nesting(string text, string key, string? expected)
    {
        Assert.Equal(expected, DingOpenApiParsing.ReadJavaMapValue(text, key));
    }
}
