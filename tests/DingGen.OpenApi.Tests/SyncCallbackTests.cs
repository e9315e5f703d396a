using DingGen.OpenApi.Tests.Infrastructure;

namespace DingGen.OpenApi.Tests;

public sealed class SyncCallbackTests
{
    private static int Calls(OpenApiFixture f, string path) => f.Server.Requests.Count(r => r.Path == path);

    [Fact(Timeout = 30_000)]
    public async Task Nothing_registered_registers_every_tag()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_leave_org", "bpms_instance_change", "user_add_org", "user_add_org", "check_url"]);

        Assert.Equal(DingCallbackSyncAction.Registered, result.Action);
        Assert.Equal(["bpms_instance_change", "user_add_org", "user_leave_org"], result.AddedTags);
        Assert.Empty(result.RemovedTags);
        Assert.True(result.UrlChanged);
        Assert.Null(result.PreviousUrl);
        var registered = f.Server.Registration!;
        Assert.Equal(host.CallbackUrl, registered.Url);
        Assert.Equal(["bpms_instance_change", "user_add_org", "user_leave_org"], registered.Tags);
        Assert.Equal((OpenApiKeys.Token, OpenApiKeys.AesKey), (registered.Token, registered.AesKey));
        Assert.Equal(1, Calls(f, DingTalkClient.RegisterCallbackPath));
        Assert.Equal(0, Calls(f, DingTalkClient.UpdateCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_different_tag_set_and_url_updates_and_reports_the_difference()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        f.Server.SetRegistration(new DingCallbackRegistration("https://old.example.com/cb", ["user_add_org", "org_dept_create"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org", "bpms_task_change", "bpms_instance_change"]);

        Assert.Equal(DingCallbackSyncAction.Updated, result.Action);
        Assert.Equal(["bpms_instance_change", "bpms_task_change"], result.AddedTags);
        Assert.Equal(["org_dept_create"], result.RemovedTags);
        Assert.True(result.UrlChanged);
        Assert.Equal("https://old.example.com/cb", result.PreviousUrl);
        Assert.False(result.KeysChanged);
        Assert.Equal(host.CallbackUrl, f.Server.Registration!.Url);
        Assert.Equal(["bpms_instance_change", "bpms_task_change", "user_add_org"], f.Server.Registration.Tags);
        Assert.Equal(1, Calls(f, DingTalkClient.UpdateCallbackPath));
        Assert.Equal(0, Calls(f, DingTalkClient.RegisterCallbackPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task Only_the_tags_differing_updates_with_the_url_unchanged()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        f.Server.SetRegistration(new DingCallbackRegistration(host.CallbackUrl, ["user_add_org", "user_leave_org"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_leave_org"]);

        Assert.Equal(DingCallbackSyncAction.Updated, result.Action);
        Assert.False(result.UrlChanged);
        Assert.Equal(host.CallbackUrl, result.PreviousUrl);
        Assert.Equal(["user_add_org"], result.RemovedTags);
        Assert.Empty(result.AddedTags);
        Assert.Equal(["user_leave_org"], f.Server.Registration!.Tags);
    }

    [Fact(Timeout = 30_000)]
    public async Task Equal_url_and_tag_set_in_another_order_makes_no_register_or_update_call()
    {
        await using var f = await OpenApiFixture.StartAsync();
        f.Server.SetRegistration(new DingCallbackRegistration("https://example.com/cb", ["user_add_org", "bpms_instance_change"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        var result = await f.Client.SyncCallbackAsync("https://example.com/cb", ["bpms_instance_change", "user_add_org", "bpms_instance_change"]);

        Assert.Equal(DingCallbackSyncAction.Unchanged, result.Action);
        Assert.Empty(result.AddedTags);
        Assert.Empty(result.RemovedTags);
        Assert.False(result.UrlChanged);
        Assert.Equal("https://example.com/cb", result.PreviousUrl);
        Assert.Equal(0, Calls(f, DingTalkClient.RegisterCallbackPath));
        Assert.Equal(0, Calls(f, DingTalkClient.UpdateCallbackPath));
        Assert.Empty(f.Server.CheckUrlAttempts);
    }

    [Fact(Timeout = 30_000)]
    public async Task Tags_compare_ordinally()
    {
        await using var f = await OpenApiFixture.StartAsync(configureServer: o => o.AdditionalKnownTags.Add("User_Add_Org"));
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        f.Server.SetRegistration(new DingCallbackRegistration(host.CallbackUrl, ["User_Add_Org"], OpenApiKeys.Token, OpenApiKeys.AesKey));

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]);

        Assert.Equal(DingCallbackSyncAction.Updated, result.Action);
        Assert.Equal(["user_add_org"], result.AddedTags);
        Assert.Equal(["User_Add_Org"], result.RemovedTags);
    }

    [Fact(Timeout = 30_000)]
    public async Task Different_keys_update_even_when_url_and_tags_are_equal()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, OpenApiKeys.CorpId);
        f.Server.SetRegistration(new DingCallbackRegistration(host.CallbackUrl, ["user_add_org"], OpenApiKeys.OtherToken, OpenApiKeys.OtherAesKey));

        var result = await f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]);

        Assert.Equal(DingCallbackSyncAction.Updated, result.Action);
        Assert.True(result.KeysChanged);
        Assert.Empty(result.AddedTags);
        Assert.Empty(result.RemovedTags);
        Assert.Equal(OpenApiKeys.Token, f.Server.Registration!.Token);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sync_against_a_host_on_the_AppKey_surfaces_71009_and_changes_nothing()
    {
        await using var f = await OpenApiFixture.StartAsync();
        await using var host = await CallbackHost.StartAsync(OpenApiKeys.Token, OpenApiKeys.AesKey, ownerKey: null);

        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => f.Client.SyncCallbackAsync(host.CallbackUrl, ["user_add_org"]));

        Assert.Equal(71009, ex.ErrorCode);
        Assert.Contains("CorpId", ex.Message, StringComparison.Ordinal);
        Assert.Null(f.Server.Registration);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sync_with_no_tags_is_refused_before_any_call()
    {
        await using var f = await OpenApiFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => f.Client.SyncCallbackAsync("https://example.com/cb", ["check_url"]));

        Assert.Contains("DeleteCallbackAsync", ex.Message, StringComparison.Ordinal);
        Assert.Empty(f.Server.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sync_without_Token_or_AesKey_fails_before_any_call_naming_the_setting()
    {
        await using var f = await OpenApiFixture.StartAsync(o => o.AesKey = null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => f.Client.SyncCallbackAsync("https://example.com/cb", ["user_add_org"]));

        Assert.Contains("AesKey", ex.Message, StringComparison.Ordinal);
        Assert.Empty(f.Server.Requests);
    }
}
