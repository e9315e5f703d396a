using DingGen.Stream.Tests.Infrastructure;
using DingGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DingGen.Stream.Tests;

/// <summary>
/// The documented switch: <c>DingGen:Stream:Enabled=true</c> turns stream mode on in any host that calls
/// <c>AddDingGen(section)</c>, with no <c>UseStreamMode()</c> in code (README, docs/stream-mode.md, docs/configuration.md).
/// </summary>
public sealed class ConfigurationSwitchTests
{
    private static readonly TimeSpan Wait = StreamHost.Wait;

    /// <summary>A plain generic host, as a user writes it: only <c>AddDingGen(section)</c>.</summary>
    private static IHost BuildPlainHost(Dictionary<string, string?> settings, StreamTestDispatcher dispatcher, Action<DingGenBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var dingGen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
        more?.Invoke(dingGen);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDingEventDispatcher>(dispatcher));
        return builder.Build();
    }

    [Theory(Timeout = 30_000)]
    [InlineData("true")]
    [InlineData("True")]
    public async Task Stream_Enabled_true_in_the_section_opens_the_stream_and_delivers_events(string value)
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var settings = StreamHost.Settings(gateway);
        settings["DingGen:Stream:Enabled"] = value;
        var dispatcher = new StreamTestDispatcher("user_add_org");
        using var host = BuildPlainHost(settings, dispatcher);
        using var timeout = new CancellationTokenSource(Wait);
        await host.StartAsync(timeout.Token);
        try
        {
            var messageId = await gateway.SendEventAsync("user_add_org", """{"userId":["u1"]}""", eventId: "evt-config");
            var ack = await gateway.WaitForAckAsync(messageId, Wait);

            Assert.Equal("SUCCESS", ack.Status);
            Assert.Equal("evt-config", Assert.Single(dispatcher.Runs).Context.EventId);
            Assert.True(host.Services.GetRequiredService<IOptionsMonitor<DingStreamOptions>>().Get(string.Empty).Enabled);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Without_Stream_Enabled_true_no_stream_connection_is_opened(string? value)
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var settings = StreamHost.Settings(gateway);
        settings["DingGen:Stream:Enabled"] = value;
        using var host = BuildPlainHost(settings, new StreamTestDispatcher("user_add_org"));

        await host.StartAsync(CancellationToken.None);
        await host.StopAsync(CancellationToken.None);

        Assert.Empty(gateway.TicketRequests);
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), static s => s is DingStreamService);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_fails_naming_the_setting()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DingGen:Stream:Enabled"] = "yes" }).Build();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddDingGen(configuration.GetSection("DingGen")));

        Assert.Contains("DingGen:Stream:Enabled must be true or false", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_Enabled_true_also_requires_the_AppSecret_at_start_up()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var settings = StreamHost.Settings(gateway, secret: null);
        settings["DingGen:Stream:Enabled"] = "true";
        using var host = BuildPlainHost(settings, new StreamTestDispatcher("user_add_org"));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("DingGen:AppSecret is required because stream mode is on", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task UseStreamMode_after_the_configuration_switch_adds_its_settings_and_opens_one_connection()
    {
        await using var gateway = await FakeStreamGateway.StartAsync(StreamHost.GatewayOptions());
        var settings = StreamHost.Settings(gateway);
        settings["DingGen:Stream:Enabled"] = "true";
        using var host = BuildPlainHost(settings, new StreamTestDispatcher("user_add_org"), static b => b.UseStreamMode(static o => o.MaxConcurrentEvents = 3));
        using var timeout = new CancellationTokenSource(Wait);
        await host.StartAsync(timeout.Token);
        try
        {
            await gateway.WaitForConnectionsAsync(1, Wait);

            Assert.Equal(3, host.Services.GetRequiredService<IOptionsMonitor<DingStreamOptions>>().Get(string.Empty).MaxConcurrentEvents);
            Assert.Single(host.Services.GetServices<IHostedService>(), static s => s is DingStreamService);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        var second = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = second.AddDingGen(configuration.GetSection("DingGen")).UseStreamMode();
        Assert.Throws<InvalidOperationException>(() => builder.UseStreamMode());
    }
}
