using DingGen.Inbox.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Inbox.Tests.Infrastructure;

/// <summary>A real Kestrel callback host with the SQLite inbox on, in a temp directory.</summary>
public static class InboxHost
{
    public static Dictionary<string, string?> Settings(string databasePath, params (string Key, string Value)[] inbox)
    {
        var settings = TestKeys.DefaultSettings();
        settings["DingGen:Inbox:Path"] = databasePath;
        foreach (var (key, value) in inbox)
        {
            settings["DingGen:Inbox:" + key] = value;
        }

        return settings;
    }

    public static Task<CallbackHost> StartAsync(
        string databasePath,
        TestDispatcher dispatcher,
        FakeTimeProvider? time = null,
        Action<WebApplicationBuilder>? configure = null,
        params (string Key, string Value)[] inbox) =>
        CallbackHost.StartAsync(
            Settings(databasePath, inbox),
            dispatcher,
            configureServices: builder =>
            {
                builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseSqliteInbox();
                if (time is not null)
                {
                    builder.Services.AddSingleton<TimeProvider>(time);
                }

                configure?.Invoke(builder);
            },
            addDefaultApp: false);

    /// <summary>A callback host whose inbox is <paramref name="store"/> (a test's wrapper around a SQLite inbox at <paramref name="databasePath"/>).</summary>
    public static Task<CallbackHost> StartWithStoreAsync(
        IDingInbox store,
        string databasePath,
        TestDispatcher dispatcher,
        FakeTimeProvider time,
        params (string Key, string Value)[] inbox) =>
        CallbackHost.StartAsync(
            Settings(databasePath, inbox),
            dispatcher,
            configureServices: builder =>
            {
                builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).UseInbox(_ => store);
                builder.Services.AddSingleton<TimeProvider>(time);
            },
            addDefaultApp: false);

    public static IDingInboxAdmin Admin(this CallbackHost host) => host.Services.GetRequiredService<IDingInboxAdmin>();

    public static async Task<IReadOnlyList<DingInboxRecord>> AllAsync(this CallbackHost host) => await host.Admin().ListAsync(null, 10_000);
}
