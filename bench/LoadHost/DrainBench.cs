using System.Diagnostics;
using System.Globalization;
using System.Text;
using DingGen;
using Npgsql;

namespace LoadHost;

/// <summary>
/// <c>LoadHost drain</c>: how many entries per second the inbox worker completes from a backlog, with the trivial handler and no intake.
/// The host runs with its worker paused (<see cref="PausableInbox"/> claims nothing), the backlog is stored through
/// <see cref="IDingInbox.AddAsync"/> (64 concurrent writers, as the endpoint would), then the worker is resumed and timed from its first
/// claim until the last entry is completed.
/// </summary>
public static class DrainBench
{
    private const int Writers = 64;

    public static async Task<int> RunAsync(string store, int count, string? concurrency, string token, string aesKey, string appKey)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:Token"] = token,
            ["DingGen:AesKey"] = aesKey,
            ["DingGen:AppKey"] = appKey,
            ["DingGen:Inbox:MaxConcurrency"] = concurrency,
        });
        var dinggen = builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen"));
        string? folder = null;
        string? schema = null;
        switch (store)
        {
            case "sqlite":
                folder = Directory.CreateTempSubdirectory("dinggen-drain-").FullName;
                dinggen.UseSqliteInbox(o => o.Path = Path.Combine(folder, "inbox.db"));
                break;
            case "postgres":
                schema = NewSchema();
                dinggen.UsePostgreSqlInbox(o =>
                {
                    o.ConnectionString = PostgresConnectionString();
                    o.Schema = schema;
                });
                break;
            default:
                Console.Error.WriteLine("drain: the store is sqlite or postgres");
                return 2;
        }

        // The worker's view of the store: claims nothing until resumed, counts completions.
        PausableInbox.WrapRegisteredInbox(builder.Services, count);
        builder.Services.AddDingEventHandlers();

        using var host = builder.Build();
        await host.StartAsync();
        var inbox = host.Services.GetRequiredService<PausableInbox>();
        try
        {
            var entries = Entries(count, token, aesKey, appKey);
            var fill = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < entries.Length)
                {
                    await inbox.AddAsync(entries[i]);
                }
            })));
            fill.Stop();

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            inbox.Resume();
            await inbox.Drained.WaitAsync(TimeSpan.FromMinutes(10));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var drain = inbox.DrainTime;
            var handled = LoadHandlers.Handled;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"DRAIN store={store} count={count} concurrency={concurrency ?? "default"} add_per_s={count / fill.Elapsed.TotalSeconds:F0} drain_per_s={count / drain.TotalSeconds:F0} drain_s={drain.TotalSeconds:F2} claims={inbox.Claims} claim_s={inbox.ClaimTime.TotalSeconds:F2} completion_writes={inbox.CompletionWrites} completion_s={inbox.CompletionTime.TotalSeconds:F2} cpu_us_per_entry={cpu.TotalMicroseconds / count:F0} handled={handled}"));

            // Then the retention purge of the entries just completed, while callbacks keep arriving: how long an add waits at most.
            Console.WriteLine(await PurgeAsync(store, inbox, DateTimeOffset.UtcNow.AddMilliseconds(1), Entries(PurgeProbes, token, aesKey, appKey, "probe-")));
            return handled == count ? 0 : 1;
        }
        finally
        {
            await host.StopAsync();
            if (folder is not null)
            {
                Directory.Delete(folder, recursive: true);
            }

            if (schema is not null)
            {
                await DropSchemaAsync(schema);
            }
        }
    }

    /// <summary>The PostgreSQL server of the bench: <c>DINGGEN_POSTGRES</c> (bench/load/run.sh starts a throwaway one when unset).</summary>
    public static string PostgresConnectionString() =>
        Environment.GetEnvironmentVariable("DINGGEN_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("DINGGEN_POSTGRES is not set: run through bench/load/run.sh, or source scripts/postgres.sh and call dinggen_pg_start.");

    public static string NewSchema() => "load_" + Guid.NewGuid().ToString("N");

    public static async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = new NpgsqlSlimDataSourceBuilder(PostgresConnectionString()).Build();
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The most adds the purge measurement makes while the purge runs (one at a time, as a trickle of callbacks).</summary>
    private const int PurgeProbes = 20_000;

    /// <summary>
    /// Purges the done entries completed before <paramref name="cutoff"/> while one caller adds <paramref name="probes"/> one after
    /// another; prints one "PURGE …" line: the purge's duration and the longest any add waited meanwhile.
    /// </summary>
    private static async Task<string> PurgeAsync(string store, IDingInbox inbox, DateTimeOffset cutoff, DingInboxEntry[] probes)
    {
        var stop = 0;
        var added = 0;
        var longest = TimeSpan.Zero;
        var adder = Task.Run(async () =>
        {
            while (Volatile.Read(ref stop) == 0 && added < probes.Length)
            {
                var started = Stopwatch.GetTimestamp();
                await inbox.AddAsync(probes[added]);
                var waited = Stopwatch.GetElapsedTime(started);
                longest = waited > longest ? waited : longest;
                added++;
            }
        });
        var purge = Stopwatch.StartNew();
        var purged = await inbox.PurgeDoneAsync(cutoff);
        purge.Stop();
        Volatile.Write(ref stop, 1);
        await adder;
        return string.Create(CultureInfo.InvariantCulture,
            $"PURGE store={store} purged={purged} purge_ms={purge.Elapsed.TotalMilliseconds:F0} adds_meanwhile={added} longest_add_wait_ms={longest.TotalMilliseconds:F1}");
    }

    private static DingInboxEntry[] Entries(int count, string token, string aesKey, string appKey, string prefix = "drain-")
    {
        var crypto = new DingCallbackCrypto(token, aesKey, appKey);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var entries = new DingInboxEntry[count];
        for (var i = 0; i < count; i++)
        {
            var eventId = prefix + i.ToString("D8", CultureInfo.InvariantCulture);
            var payload = $$"""{"EventType":"bpms_instance_change","eventId":"{{eventId}}","CorpId":"dingloadcorp","processInstanceId":"pi-{{i}}","type":"finish","result":"agree","title":"Drain {{i}}"}""";
            var nonce = DingCallbackCrypto.CreateNonce(8);
            var encrypt = crypto.Encrypt(Encoding.UTF8.GetBytes(payload));
            entries[i] = new DingInboxEntry
            {
                AppName = string.Empty,
                EventType = DingEventTypes.BpmsInstanceChange,
                DedupKey = DingEventTypes.BpmsInstanceChange + ":" + eventId,
                EventId = eventId,
                CorpId = "dingloadcorp",
                ReceivedAt = DateTimeOffset.UtcNow,
                Envelope = new DingSealedMessage(crypto.ComputeSignature(timestamp, nonce, encrypt), timestamp, nonce, encrypt),
            };
        }

        return entries;
    }
}

/// <summary>The store as the worker sees it in the drain bench: claims nothing until <see cref="Resume"/>; times the drain.</summary>
public sealed class PausableInbox(IDingInbox inner, int expected) : IDingInbox, IDingInboxBatchCompletion
{
    /// <summary>Replaces the registered <see cref="IDingInbox"/> with a paused one around it (also registered as <see cref="PausableInbox"/>).</summary>
    public static void WrapRegisteredInbox(IServiceCollection services, int expected)
    {
        var registered = services.Last(static d => d.ServiceType == typeof(IDingInbox));
        services.Remove(registered);
        services.AddSingleton(sp => new PausableInbox((IDingInbox)registered.ImplementationFactory!(sp), expected));
        services.AddSingleton<IDingInbox>(static sp => sp.GetRequiredService<PausableInbox>());
    }

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _drain = new();
    private volatile bool _paused = true;
    private int _completed;
    private int _claims;

    public Task Drained => _drained.Task;

    public TimeSpan DrainTime => _drain.Elapsed;

    public int Claims => _claims;

    /// <summary>Time spent in claims (the worker starts nothing while it waits for one).</summary>
    public TimeSpan ClaimTime => TimeSpan.FromTicks(Interlocked.Read(ref _claimTicks));

    /// <summary>Batched completion writes and the time spent in them (they overlap the handlers).</summary>
    public int CompletionWrites => _completionWrites;

    public TimeSpan CompletionTime => TimeSpan.FromTicks(Interlocked.Read(ref _completionTicks));

    private long _claimTicks;
    private long _completionTicks;
    private int _completionWrites;

    public void Resume() => _paused = false;

    public ValueTask<DingInboxAddResult> AddAsync(DingInboxEntry entry, CancellationToken cancellationToken = default) => inner.AddAsync(entry, cancellationToken);

    public async ValueTask<IReadOnlyList<DingInboxRecord>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        if (_paused)
        {
            return [];
        }

        if (!_drain.IsRunning && _completed == 0)
        {
            _drain.Start();
        }

        Interlocked.Increment(ref _claims);
        var started = Stopwatch.GetTimestamp();
        var claimed = await inner.ClaimAsync(maxCount, now, leaseDuration, cancellationToken);
        Interlocked.Add(ref _claimTicks, Stopwatch.GetElapsedTime(started).Ticks);
        return claimed;
    }

    public async ValueTask CompleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await inner.CompleteAsync(id, now, cancellationToken);
        Completed(1);
    }

    /// <summary>Counts completed entries; the drain ends with the last expected one.</summary>
    private void Completed(int count)
    {
        if (Interlocked.Add(ref _completed, count) == expected)
        {
            _drain.Stop();
            _drained.TrySetResult();
        }
    }

    /// <summary>Batched completions (the worker's normal path) go to the store's own batch write.</summary>
    public async ValueTask CompleteAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (inner is IDingInboxBatchCompletion batched)
        {
            await batched.CompleteAsync(ids, now, cancellationToken);
        }
        else
        {
            await Task.WhenAll(ids.Select(id => inner.CompleteAsync(id, now, cancellationToken).AsTask()));
        }

        Interlocked.Add(ref _completionTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref _completionWrites);
        Completed(ids.Count);
    }

    public ValueTask FailAsync(long id, string errorSummary, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        _drained.TrySetException(new InvalidOperationException("an entry failed: " + errorSummary));
        return inner.FailAsync(id, errorSummary, nextAttemptAt, now, cancellationToken);
    }

    public ValueTask<int> PurgeDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => inner.PurgeDoneAsync(completedBefore, cancellationToken);

    public ValueTask<DingInboxStats> GetStatsAsync(CancellationToken cancellationToken = default) => inner.GetStatsAsync(cancellationToken);
}
