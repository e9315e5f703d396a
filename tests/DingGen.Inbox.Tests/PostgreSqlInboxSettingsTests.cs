using DingGen.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DingGen.Inbox.Tests;

/// <summary>
/// UsePostgreSqlInbox's settings are checked when the host starts, before any database is touched: a host with a missing
/// connection string or a bad schema name does not start, and the message names the setting and what to put there.
/// </summary>
public sealed class PostgreSqlInboxSettingsTests
{
    [Theory(Timeout = 30_000)]
    [InlineData(null, "dinggen", "DingGen:Inbox:ConnectionString is required")]
    [InlineData("   ", "dinggen", "DingGen:Inbox:ConnectionString is required")]
    [InlineData("Host=127.0.0.1;Port=1;Username=nobody;Database=none", "Bad-Schema", "DingGen:Inbox:Schema must be a lowercase identifier")]
    [InlineData("Host=127.0.0.1;Port=1;Username=nobody;Database=none", "1starts_with_a_digit", "DingGen:Inbox:Schema must be a lowercase identifier")]
    public async Task A_host_with_a_bad_PostgreSQL_inbox_setting_does_not_start_and_names_the_setting(string? connectionString, string schema, string expected)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:Inbox:ConnectionString"] = connectionString;
        settings["DingGen:Inbox:Schema"] = schema;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
        builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UsePostgreSqlInbox();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_host_whose_database_cannot_be_reached_does_not_start_and_says_what_to_check()
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:Inbox:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=SecretPassword-8c1e;Database=none;Timeout=5";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IDingEventDispatcher>(TestDispatcher.Default());
        builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UsePostgreSqlInbox();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("could not reach its database at start-up", error.Message, StringComparison.Ordinal);
        Assert.Contains("DingGen:Inbox:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretPassword-8c1e", error.ToString(), StringComparison.Ordinal);
    }
}
