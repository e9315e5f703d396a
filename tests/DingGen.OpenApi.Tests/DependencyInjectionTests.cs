using DingGen.OpenApi.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.OpenApi.Tests;

public sealed class DependencyInjectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        register(services, configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact(Timeout = 30_000)]
    public async Task The_default_app_client_takes_credentials_from_DingGen_options_and_settings_from_the_OpenApi_section()
    {
        await using var fake = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = OpenApiKeys.AppKey, AppSecret = OpenApiKeys.AppSecret, CorpId = OpenApiKeys.CorpId });
        await using var provider = Build(
            new()
            {
                ["DingGen:AppKey"] = OpenApiKeys.AppKey,
                ["DingGen:AppSecret"] = OpenApiKeys.AppSecret,
                ["DingGen:Token"] = OpenApiKeys.Token,
                ["DingGen:AesKey"] = OpenApiKeys.AesKey,
                ["DingGen:OpenApi:BaseAddress"] = fake.BaseAddress.ToString(),
                ["DingGen:OpenApi:MaxTransientRetries"] = "1",
                ["DingGen:OpenApi:RetryBaseDelay"] = "00:00:00",
            },
            (services, configuration) => services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient());

        var client = provider.GetRequiredService<DingTalkClient>();
        Assert.Same(client, provider.GetRequiredService<DingTalkClientFactory>().Get(DingGenServiceCollectionExtensions.DefaultAppName));
        Assert.Equal(fake.BaseAddress, client.BaseAddress);

        fake.SetRegistration(new DingCallbackRegistration("https://example.com/cb", ["user_add_org"], OpenApiKeys.Token, OpenApiKeys.AesKey));
        var result = await client.SyncCallbackAsync("https://example.com/cb", ["user_add_org"]);
        Assert.Equal(DingCallbackSyncAction.Unchanged, result.Action);

        // MaxTransientRetries = 1 was bound: two 503s exhaust it.
        fake.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, System.Net.HttpStatusCode.ServiceUnavailable);
        fake.FailNextWithHttpStatus(DingTalkClient.GetCallbackPath, System.Net.HttpStatusCode.ServiceUnavailable);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetCallbackAsync());
        Assert.Equal(1, fake.TokenRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Named_apps_get_their_own_client_and_credentials_through_the_factory()
    {
        await using var fake = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions { AppKey = "hrkey", AppSecret = "hrsecret", CorpId = OpenApiKeys.CorpId });
        await using var provider = Build(
            new()
            {
                ["DingGen:AppKey"] = OpenApiKeys.AppKey,
                ["DingGen:AppSecret"] = OpenApiKeys.AppSecret,
                ["Hr:AppKey"] = "hrkey",
                ["Hr:AppSecret"] = "hrsecret",
                ["Hr:OpenApi:BaseAddress"] = fake.BaseAddress.ToString(),
            },
            (services, configuration) =>
            {
                services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient(o => o.BaseAddress = fake.BaseAddress);
                services.AddDingGen("hr", configuration.GetSection("Hr")).AddDingTalkClient();
            });

        var factory = provider.GetRequiredService<DingTalkClientFactory>();
        var hr = factory.Get("hr");
        Assert.Same(hr, factory.Get("hr"));
        Assert.Same(hr, provider.GetRequiredKeyedService<DingTalkClient>("hr"));
        Assert.Same(provider.GetRequiredService<DingTalkClient>(), provider.GetRequiredKeyedService<DingTalkClient>(DingGenServiceCollectionExtensions.DefaultAppName));
        Assert.Equal("hrkey", hr.AppKey);
        Assert.Equal(OpenApiKeys.AppKey, provider.GetRequiredService<DingTalkClient>().AppKey);

        Assert.NotEmpty(await hr.GetAccessTokenAsync());
        var ex = await Assert.ThrowsAsync<DingTalkApiException>(() => provider.GetRequiredService<DingTalkClient>().GetAccessTokenAsync());
        Assert.Equal(40096, ex.ErrorCode);
    }

    [Fact]
    public void A_missing_AppSecret_is_reported_with_the_setting_name_when_the_client_is_resolved()
    {
        using var provider = Build(
            new() { ["DingGen:AppKey"] = OpenApiKeys.AppKey },
            (services, configuration) => services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient());

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DingTalkClient>());

        Assert.Contains("DingGen:AppSecret is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_AppSecret_is_reported_for_a_named_app_with_its_section()
    {
        using var provider = Build(
            new() { ["Hr:AppKey"] = "k" },
            (services, configuration) => services.AddDingGen("hr", configuration.GetSection("Hr")).AddDingTalkClient());

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DingTalkClientFactory>().Get("hr"));

        Assert.Contains("Hr:AppSecret is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_AppKey_fails_the_apps_own_validation()
    {
        using var provider = Build(
            new() { ["Hr:AppSecret"] = "s" },
            (services, configuration) => services.AddDingGen("hr", configuration.GetSection("Hr")).AddDingTalkClient());

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<DingTalkClientFactory>().Get("hr"));

        Assert.Contains("AppKey is required", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"s\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_app_without_a_client_is_a_clear_error()
    {
        using var provider = Build(
            new() { ["DingGen:AppKey"] = "k", ["DingGen:AppSecret"] = "s" },
            (services, configuration) => services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient());

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DingTalkClientFactory>().Get("payroll"));

        Assert.Contains("AddDingTalkClient", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'payroll'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_public_constructor_rejects_incomplete_options_without_echoing_values()
    {
        using var http = new HttpClient();

        var ex = Assert.Throws<ArgumentException>(() => new DingTalkClient(http, new DingTalkClientOptions { AppKey = "k" }));
        Assert.Contains("AppSecret is required", ex.Message, StringComparison.Ordinal);

        var retries = Assert.Throws<ArgumentException>(() => new DingTalkClient(http, new DingTalkClientOptions { AppKey = "k", AppSecret = "s", MaxTransientRetries = -1 }));
        Assert.Contains("MaxTransientRetries", retries.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_settings_fail_validation_naming_the_setting()
    {
        using var provider = Build(
            new() { ["DingGen:AppKey"] = "k", ["DingGen:AppSecret"] = "s", ["DingGen:OpenApi:MaxTransientRetries"] = "99" },
            (services, configuration) => services.AddDingGen(configuration.GetSection("DingGen")).AddDingTalkClient());

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<DingTalkClientOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName));

        Assert.Contains("DingGen:OpenApi:MaxTransientRetries must be between 0 and 10", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_changed_after_construction_do_not_reach_the_client()
    {
        using var http = new HttpClient();
        var options = new DingTalkClientOptions { AppKey = "k", AppSecret = "s" };
        var client = new DingTalkClient(http, options);

        options.AppKey = "changed";
        options.BaseAddress = new Uri("http://127.0.0.1:1/");

        Assert.Equal("k", client.AppKey);
        Assert.Equal(new Uri(DingTalkClientOptions.DefaultBaseAddress), client.BaseAddress);
    }
}
