using DingGen.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DingGen.Hosting.Tests;

/// <summary>Start-up validation of options and of the mapping.</summary>
public sealed class ConfigurationTests
{
    private const int Timeout = 60_000;
    private const string SecretLookingValue = "S3cretValueThatMustNotLeak";

    private static async Task<OptionsValidationException> StartExpectingFailureAsync(Dictionary<string, string?> settings, bool map = true)
    {
        await using var app = CallbackHost.Build(settings, TestDispatcher.Default());
        if (map)
        {
            app.MapDingCallback(TestKeys.Path);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("AesKey", SecretLookingValue, "DingGen:AesKey must be 43 characters")]
    [InlineData("AesKey", "S3cretValueThatMustNotLeak!!!!!!!!!!!!!!!!!", "DingGen:AesKey must contain only Base64")]
    [InlineData("Token", null, "DingGen:Token is required")]
    [InlineData("AesKey", null, "DingGen:AesKey is required")]
    [InlineData("Token", "   ", "DingGen:Token must not be blank")]
    [InlineData("OwnerKey", "  ", "DingGen:OwnerKey must not be blank")]
    [InlineData("AppKey", null, "AppKey is required")]
    [InlineData("MaxBodyBytes", "10", "MaxBodyBytes must be between")]
    public async Task Invalid_setting_fails_start_up_naming_the_setting_but_not_its_value(string key, string? value, string expected)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:" + key] = value;

        var exception = await StartExpectingFailureAsync(settings);

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLookingValue, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Token, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.AesKey, exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Token_and_AesKey_are_not_required_when_no_callback_is_mapped()
    {
        var settings = new Dictionary<string, string?> { ["DingGen:AppKey"] = TestKeys.AppKey };
        await using var app = CallbackHost.Build(settings, TestDispatcher.Default());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        await app.StopAsync(timeout.Token);

        var options = app.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.Equal(TestKeys.AppKey, options.AppKey);
        Assert.Null(options.Token);
        Assert.Equal(DingGenOptions.DefaultMaxBodyBytes, options.MaxBodyBytes);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_mapped_named_app_requires_its_own_Token_and_AesKey()
    {
        var settings = TestKeys.DefaultSettings();
        settings["Hr:AppKey"] = TestKeys.OtherAppKey;
        await using var app = CallbackHost.Build(settings, TestDispatcher.Default(), static b => b.Services.AddDingGen("hr", b.Configuration.GetSection("Hr")));
        app.MapDingCallback(TestKeys.Path);
        app.MapDingCallback("/hr", "hr");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains("Hr:Token is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Hr:AesKey is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'hr'", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Every_setting_can_come_from_environment_variables()
    {
        var prefix = $"DINGGEN_TEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            [prefix + "DingGen__Token"] = TestKeys.Token,
            [prefix + "DingGen__AesKey"] = TestKeys.AesKey,
            [prefix + "DingGen__AppKey"] = "dingenvappkey",
            [prefix + "DingGen__OwnerKey"] = TestKeys.AppKey,
            [prefix + "DingGen__AppSecret"] = "env-secret",
            [prefix + "DingGen__MaxBodyBytes"] = "4096",
            [prefix + "DingGen__AcceptSuiteCreationPlaceholder"] = "true",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            await using var host = await CallbackHost.StartAsync(
                settings: [],
                addDefaultApp: false,
                configureServices: b =>
                {
                    b.Configuration.AddEnvironmentVariables(prefix);
                    b.Services.AddDingGen(b.Configuration.GetSection("DingGen"));
                });

            var options = host.Services.GetRequiredService<IOptionsMonitor<DingGenOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName);
            Assert.Equal("dingenvappkey", options.AppKey);
            Assert.Equal(TestKeys.AppKey, options.OwnerKey);
            Assert.Equal("env-secret", options.AppSecret);
            Assert.Equal(4096, options.MaxBodyBytes);
            Assert.True(options.AcceptSuiteCreationPlaceholder);

            var result = await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));
            Assert.True(result.IsSuccessReply);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Mapping_a_callback_with_no_dispatcher_fails_before_serving()
    {
        await using var app = CallbackHost.Build(TestKeys.DefaultSettings(), dispatcher: null);

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapDingCallback(TestKeys.Path));

        Assert.Contains("IDingEventDispatcher", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AddDingEventHandlers", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Mapping_an_app_that_was_not_added_fails_naming_it()
    {
        await using var app = CallbackHost.Build(TestKeys.DefaultSettings(), TestDispatcher.Default());

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapDingCallback("/hr", "hr"));

        Assert.Contains("'hr'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AddDingGen", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task AddDingGen_and_the_generated_registration_work_in_either_order()
    {
        foreach (var dispatcherFirst in new[] { true, false })
        {
            var services = new ServiceCollection();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestKeys.DefaultSettings()).Build();
            if (dispatcherFirst)
            {
                services.AddDingGenCore();
                services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
                services.AddDingGen(configuration.GetSection("DingGen"));
            }
            else
            {
                services.AddDingGen(configuration.GetSection("DingGen"));
                services.AddDingGenCore();
                services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
            }

            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            Assert.Single(provider.GetRequiredService<DingEventRouter>().Dispatchers);
            Assert.Single(services, d => d.ServiceType == typeof(DingEventRouter));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Builder_Configure_applies_after_binding()
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:Token"] = "wrong-token-from-file";
        await using var host = await CallbackHost.StartAsync(
            settings,
            addDefaultApp: false,
            configureServices: static b => b.Services.AddDingGen(b.Configuration.GetSection("DingGen")).Configure(static o => o.Token = TestKeys.Token));

        var result = await host.Simulator().PostAsync(host.Client, TestKeys.Path, TestKeys.Event("bpms_instance_change"));

        Assert.True(result.IsSuccessReply);
    }
}
