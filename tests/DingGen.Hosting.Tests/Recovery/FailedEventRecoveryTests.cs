using System.Text;
using System.Text.Json;
using DingGen.Testing;
using DingGen.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Hosting.Tests.Recovery;

/// <summary>DingFailedEventRecovery against the fake DingTalk server: pull, adapt, dispatch on the Recovery channel, and never twice.</summary>
public sealed class FailedEventRecoveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeMilliseconds(1717034512000);
    private readonly string _storePath = Path.Combine(Path.GetTempPath(), $"dinggen-recovery-test-{Guid.NewGuid():N}", "recovered.jsonl");
    private FakeDingTalkServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeDingTalkServer.StartAsync(new FakeDingTalkServerOptions());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        var directory = Path.GetDirectoryName(_storePath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Entries_are_dispatched_as_push_payloads_on_the_recovery_channel_in_a_scope_each()
    {
        var dispatcher = new TestDispatcher("bpms_instance_change", "user_add_org");
        var scopes = new List<IServiceProvider>();
        dispatcher.Handler = context =>
        {
            scopes.Add(context.Services);
            return ValueTask.CompletedTask;
        };
        await using var services = Build(dispatcher);
        _server.EnqueueFailedEvent("user_add_org", EventTime, """{"corpid":"dingcorp0001","userid":["0214382847291053"]}""");
        _server.EnqueueFailedEvent("bpms_instance_change", EventTime.AddSeconds(1), """{"corpid":"dingcorp0001","bpmsCallBackData":{"processInstanceId":"p-1","type":"finish","result":"agree","eventId":"evt-bpms-1"}}""");

        var report = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();

        Assert.Equal([DingRecoveryOutcome.Handled, DingRecoveryOutcome.Handled], report.Entries.Select(e => e.Outcome));
        Assert.Equal(["user_add_org", "bpms_instance_change"], report.Entries.Select(e => e.Tag));
        Assert.Equal(EventTime, report.Entries[0].EventTime);
        Assert.True(report.Succeeded);

        var calls = dispatcher.HandlerRuns.ToArray();
        Assert.All(calls, c => Assert.Equal(DingDeliveryChannel.Recovery, c.Channel));
        Assert.Equal("dingcorp0001", calls[0].CorpId);
        Assert.Equal(
            """{"EventType":"user_add_org","UserId":["0214382847291053"],"CorpId":"dingcorp0001","TimeStamp":"1717034512000"}""",
            Encoding.UTF8.GetString(calls[0].Payload.Span));

        // The payload's eventId wins; without one the id is derived from tag, time and data, and reported.
        Assert.Equal("evt-bpms-1", calls[1].EventId);
        Assert.Equal(64, calls[0].EventId.Length);
        Assert.Equal(report.Entries[0].EventId, calls[0].EventId);
        Assert.Equal("evt-bpms-1", report.Entries[1].EventId);

        // A DI scope per event, not the root provider.
        Assert.Equal(2, scopes.Distinct().Count());
        Assert.DoesNotContain(services, scopes);
    }

    [Fact(Timeout = 60_000)]
    public async Task Recovering_twice_skips_what_was_handled_even_in_a_new_process()
    {
        var dispatcher = new TestDispatcher("user_add_org");
        const string Data = """{"corpid":"dingcorp0001","userid":["0214382847291053"]}""";
        await using (var services = Build(dispatcher))
        {
            _server.EnqueueFailedEvent("user_add_org", EventTime, Data);
            var first = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
            Assert.Equal(DingRecoveryOutcome.Handled, Assert.Single(first.Entries).Outcome);

            // DingTalk lists the entry again (it documents no acknowledgement).
            _server.EnqueueFailedEvent("user_add_org", EventTime, Data);
            var second = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
            Assert.Equal(DingRecoveryOutcome.SkippedAlreadyRecovered, Assert.Single(second.Entries).Outcome);
        }

        // A new container over the same store file: still skipped; the handler ran exactly once.
        await using (var services = Build(dispatcher))
        {
            _server.EnqueueFailedEvent("user_add_org", EventTime, Data);
            var third = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
            Assert.Equal(DingRecoveryOutcome.SkippedAlreadyRecovered, Assert.Single(third.Entries).Outcome);
        }

        Assert.Single(dispatcher.HandlerRuns);

        // Same tag and time but other data is another event.
        await using (var services = Build(dispatcher))
        {
            _server.EnqueueFailedEvent("user_add_org", EventTime, """{"corpid":"dingcorp0001","userid":["someone-else"]}""");
            var fourth = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
            Assert.Equal(DingRecoveryOutcome.Handled, Assert.Single(fourth.Entries).Outcome);
        }

        var lines = await File.ReadAllLinesAsync(_storePath);
        Assert.Equal(2, lines.Length);
        using var line = JsonDocument.Parse(lines[0]);
        Assert.Equal("user_add_org", line.RootElement.GetProperty("tag").GetString());
        Assert.Equal(EventTime.ToUnixTimeMilliseconds(), line.RootElement.GetProperty("eventTime").GetInt64());
        Assert.Equal(64, line.RootElement.GetProperty("sha256").GetString()!.Length);
        Assert.DoesNotContain("0214382847291053", await File.ReadAllTextAsync(_storePath), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_storePath));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failing_handler_is_reported_by_name_and_retried_after_its_backoff_though_DingTalk_never_lists_it_again()
    {
        // The fake consumes the failed list on read (DingTalk does not say it does not): the entry is listed once only.
        Assert.True(_server.Options.FailedListConsumedOnRead);
        var time = new FakeTimeProvider(EventTime.AddHours(1));
        var dispatcher = new TestDispatcher("bpms_instance_change") { HandlerName = "Approvals.OnInstanceChange" };
        var fail = true;
        dispatcher.Handler = _ => fail ? throw new InvalidOperationException("approval service down") : ValueTask.CompletedTask;
        await using var services = Build(dispatcher, time);
        const string Data = """{"corpid":"dingcorp0001","bpmsCallBackData":{"processInstanceId":"p-1","type":"finish","result":"agree"}}""";
        var recovery = services.GetRequiredService<DingFailedEventRecovery>();

        _server.EnqueueFailedEvent("bpms_instance_change", EventTime, Data);
        var failed = await recovery.RecoverAsync();
        var entry = Assert.Single(failed.Entries);
        Assert.Equal(DingRecoveryOutcome.Failed, entry.Outcome);
        Assert.Equal(["Approvals.OnInstanceChange"], entry.FailedHandlers);
        Assert.Equal("approval service down", entry.Error);
        Assert.False(failed.Succeeded);
        Assert.Equal(0, _server.PendingFailedEvents);

        // Before its backoff (RetryInitialDelay = 1 min, jitter in its upper half): reported, not run.
        fail = false;
        var early = await recovery.RecoverAsync();
        Assert.Equal(DingRecoveryOutcome.Deferred, Assert.Single(early.Entries).Outcome);
        Assert.Single(dispatcher.HandlerRuns);

        time.Advance(TimeSpan.FromMinutes(1));
        var retried = await recovery.RecoverAsync();
        Assert.Equal(DingRecoveryOutcome.Handled, Assert.Single(retried.Entries).Outcome);
        Assert.Equal(2, dispatcher.HandlerRuns.Count);

        // Handled: recorded, and its data is no longer on disk.
        var store = (DingJsonLinesRecoveryStore)services.GetRequiredKeyedService<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.False(File.Exists(store.PendingPath));
        Assert.Empty((await recovery.RecoverAsync()).Entries);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_entry_is_stored_before_its_handlers_run_so_a_crash_mid_dispatch_loses_nothing()
    {
        var time = new FakeTimeProvider(EventTime.AddHours(1));
        const string Data = """{"corpid":"dingcorp0001","userid":["0214382847291053"]}""";
        using var crash = new CancellationTokenSource();
        var first = new TestDispatcher("user_add_org");
        string? pendingDuringDispatch = null;
        await using (var services = Build(first, time))
        {
            var store = (DingJsonLinesRecoveryStore)services.GetRequiredKeyedService<IDingRecoveryStore>(DingGenServiceCollectionExtensions.DefaultAppName);
            first.Handler = _ =>
            {
                pendingDuringDispatch = File.ReadAllText(store.PendingPath);

                // The process "dies" while the handler runs: the recovery stops without recording anything.
                crash.Cancel();
                return ValueTask.CompletedTask;
            };
            _server.EnqueueFailedEvent("user_add_org", EventTime, Data);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync(crash.Token));
        }

        Assert.Contains("0214382847291053", pendingDuringDispatch, StringComparison.Ordinal);
        Assert.Equal(0, _server.PendingFailedEvents);

        // A new process over the same store runs the entry at once, although DingTalk no longer lists it.
        var second = new TestDispatcher("user_add_org");
        await using (var services = Build(second, time))
        {
            var report = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();
            Assert.Equal(DingRecoveryOutcome.Handled, Assert.Single(report.Entries).Outcome);
        }

        Assert.Single(second.HandlerRuns);
        Assert.DoesNotContain("0214382847291053", await File.ReadAllTextAsync(_storePath), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task After_MaxAttempts_failures_an_entry_is_dead_lettered_listed_and_retryable_by_hand()
    {
        var time = new FakeTimeProvider(EventTime.AddHours(1));
        var dispatcher = new TestDispatcher("user_add_org");
        var fail = true;
        dispatcher.Handler = _ => fail ? throw new InvalidOperationException("directory service down") : ValueTask.CompletedTask;
        await using var services = Build(dispatcher, time, maxAttempts: 3);
        var recovery = services.GetRequiredService<DingFailedEventRecovery>();
        _server.EnqueueFailedEvent("user_add_org", EventTime, """{"corpid":"dingcorp0001","userid":["u-1"]}""");

        Assert.Equal(DingRecoveryOutcome.Failed, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(DingRecoveryOutcome.Failed, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);

        // The second wait doubles (1-2 minutes): one minute is not enough.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(DingRecoveryOutcome.Deferred, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(DingRecoveryOutcome.DeadLettered, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);
        Assert.Equal(3, dispatcher.HandlerRuns.Count);

        // Dead letters are no longer retried on their own, but listed with the last error.
        time.Advance(TimeSpan.FromDays(1));
        Assert.Empty((await recovery.RecoverAsync()).Entries);
        var dead = Assert.Single(await recovery.GetDeadLettersAsync());
        Assert.Equal(3, dead.Attempts);
        Assert.Equal($"{TestDispatcher.DefaultHandlerName}: directory service down", dead.LastError);
        Assert.Equal(3, dispatcher.HandlerRuns.Count);

        fail = false;
        var retried = await recovery.RetryDeadLetterAsync(dead.Key);
        Assert.Equal(DingRecoveryOutcome.Handled, retried!.Outcome);
        Assert.Empty(await recovery.GetDeadLettersAsync());
        Assert.Null(await recovery.RetryDeadLetterAsync(dead.Key));
        Assert.Equal(4, dispatcher.HandlerRuns.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_pending_file_keeps_only_live_entries_across_many_changes()
    {
        var path = Path.Combine(Path.GetDirectoryName(_storePath)!, "compaction.jsonl");
        var store = new DingJsonLinesRecoveryStore(path);
        var entries = Enumerable.Range(0, 40).Select(i =>
        {
            var failed = new DingFailedEvent("user_add_org", EventTime.AddSeconds(i), null, "{}", $$"""{"n":{{i}}}""");
            return new DingRecoveryPendingEntry(DingRecoveryKey.For(failed), failed, 0, EventTime, DingRecoveryEntryState.Pending, null);
        }).ToArray();
        foreach (var entry in entries)
        {
            await store.SavePendingAsync(entry);
            await store.SavePendingAsync(entry with { Attempts = 1, LastError = "x" });
        }

        for (var i = 0; i < 30; i++)
        {
            await store.AddAsync(entries[i].Key);
        }

        var lines = await File.ReadAllLinesAsync(store.PendingPath);
        Assert.True(lines.Length < 2 * 10 + 16, $"{lines.Length} lines for 10 live entries");

        // A new instance reads back exactly the live ones.
        var reread = await new DingJsonLinesRecoveryStore(path).ListPendingAsync();
        Assert.Equal(entries.Skip(30).Select(e => e.Key).ToHashSet(), reread.Select(e => e.Key).ToHashSet());
        Assert.All(reread, e => Assert.Equal(1, e.Attempts));
        Assert.Equal(entries[35].Entry, reread.Single(e => e.Key == entries[35].Key).Entry);
    }

    [Fact(Timeout = 60_000)]
    public async Task Unhandled_and_unreadable_entries_run_no_handler_and_do_not_stop_the_others()
    {
        var dispatcher = new TestDispatcher("user_add_org");
        await using var services = Build(dispatcher);
        _server.EnqueueFailedEvent("calendar_event_change", EventTime, """{"corpid":"dingcorp0001","callbackData":{"eventId":"c-1"}}""");
        _server.EnqueueFailedEventJson("""{"call_back_tag":"user_add_org","event_time":1717034512000,"user_add_org":"garbage, not a map"}""");
        _server.EnqueueFailedEventJson("""{"call_back_tag":"user_add_org","event_time":1717034513000,"user_add_org":"{corpid=dingcorp0001, userid=[u-7, u-8]}"}""");
        var recovery = services.GetRequiredService<DingFailedEventRecovery>();

        var report = await recovery.RecoverAsync();

        Assert.Equal([DingRecoveryOutcome.NotHandled, DingRecoveryOutcome.InvalidEntry, DingRecoveryOutcome.Handled], report.Entries.Select(e => e.Outcome));
        Assert.Contains("neither a JSON object nor a Java-map string", report.Entries[1].Error, StringComparison.Ordinal);
        var run = Assert.Single(dispatcher.HandlerRuns);
        Assert.Equal("""{"EventType":"user_add_org","UserId":["u-7","u-8"],"CorpId":"dingcorp0001","TimeStamp":"1717034513000"}""", Encoding.UTF8.GetString(run.Payload.Span));

        // Not handled is not recorded: a handler added later still gets the event.
        _server.EnqueueFailedEvent("calendar_event_change", EventTime, """{"corpid":"dingcorp0001","callbackData":{"eventId":"c-1"}}""");
        Assert.Equal(DingRecoveryOutcome.NotHandled, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_page_of_the_failed_list_is_recovered()
    {
        var dispatcher = new TestDispatcher("user_add_org");
        await using var services = Build(dispatcher);
        for (var i = 0; i < FakeDingTalkServer.FailedResultPageSize + 50; i++)
        {
            _server.EnqueueFailedEvent("user_add_org", EventTime.AddSeconds(i), $$"""{"corpid":"dingcorp0001","userid":["u{{i}}"]}""");
        }

        var report = await services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync();

        Assert.Equal(2, report.Pages);
        Assert.Equal(FakeDingTalkServer.FailedResultPageSize + 50, report.Count(DingRecoveryOutcome.Handled));
        Assert.Equal(FakeDingTalkServer.FailedResultPageSize + 50, dispatcher.HandlerRuns.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_while_another_run_of_the_app_holds_the_lock_is_skipped_and_reads_nothing()
    {
        var dispatcher = new TestDispatcher("user_add_org");
        await using var services = Build(dispatcher);
        var recovery = services.GetRequiredService<DingFailedEventRecovery>();
        Assert.Same(services.GetRequiredService<IDingRecoveryLock>(), recovery.Lock);
        _server.EnqueueFailedEvent("user_add_org", EventTime, """{"corpid":"dingcorp0001","userid":["u-1"]}""");

        var held = await recovery.Lock.TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(held);
        var skipped = await recovery.RecoverAsync();
        Assert.True(skipped.SkippedBecauseAnotherReplicaIsRecovering);
        Assert.Empty(skipped.Entries);
        Assert.Equal(1, _server.PendingFailedEvents);
        Assert.Empty(dispatcher.HandlerRuns);

        await held.DisposeAsync();
        var ran = await recovery.RecoverAsync();
        Assert.False(ran.SkippedBecauseAnotherReplicaIsRecovering);
        Assert.Equal(DingRecoveryOutcome.Handled, Assert.Single(ran.Entries).Outcome);

        // Released after the run: another run may start.
        var again = await recovery.Lock.TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(again);
        await again.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Retrying_a_dead_letter_or_recovering_one_entry_while_a_run_holds_the_lock_is_refused_and_changes_nothing()
    {
        var time = new FakeTimeProvider(EventTime.AddMinutes(5));
        var dispatcher = new TestDispatcher("user_add_org");
        dispatcher.Handler = _ => throw new InvalidOperationException("directory service down");
        await using var services = Build(dispatcher, time, maxAttempts: 1);
        var recovery = services.GetRequiredService<DingFailedEventRecovery>();
        _server.EnqueueFailedEvent("user_add_org", EventTime, """{"corpid":"dingcorp0001","userid":["u-1"]}""");
        Assert.Equal(DingRecoveryOutcome.DeadLettered, Assert.Single((await recovery.RecoverAsync()).Entries).Outcome);
        var dead = Assert.Single(await recovery.GetDeadLettersAsync());
        var runs = dispatcher.HandlerRuns.Count;

        var held = await recovery.Lock.TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(held);
        var retry = await Assert.ThrowsAsync<InvalidOperationException>(() => recovery.RetryDeadLetterAsync(dead.Key));
        Assert.Contains("Another failed-event recovery", retry.Message, StringComparison.Ordinal);
        var fresh = new DingFailedEvent("user_add_org", EventTime.AddSeconds(1), null, "{}", """{"corpid":"dingcorp0001","userid":["u-2"]}""");
        await Assert.ThrowsAsync<InvalidOperationException>(() => recovery.RecoverOneAsync(fresh));

        // Nothing ran and the dead letter is as it was.
        Assert.Equal(runs, dispatcher.HandlerRuns.Count);
        Assert.Equal(dead.Attempts, Assert.Single(await recovery.GetDeadLettersAsync()).Attempts);

        // Once the other run is over, the retry runs (and releases the lock again).
        await held.DisposeAsync();
        dispatcher.Handler = _ => ValueTask.CompletedTask;
        Assert.Equal(DingRecoveryOutcome.Handled, (await recovery.RetryDeadLetterAsync(dead.Key))!.Outcome);
        var again = await recovery.Lock.TryAcquireAsync(DingGenServiceCollectionExtensions.DefaultAppName);
        Assert.NotNull(again);
        await again.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_DingTalk_error_on_the_failed_list_call_surfaces_as_the_typed_exception()
    {
        await using var services = Build(new TestDispatcher("user_add_org"));
        _server.FailNext(DingTalkClient.GetFailedEventsPath, 71007, "回调地址未注册");

        var error = await Assert.ThrowsAsync<DingTalkApiException>(() => services.GetRequiredService<DingFailedEventRecovery>().RecoverAsync());

        Assert.Equal(71007, error.ErrorCode);
    }

    [Fact]
    public void An_empty_store_path_fails_at_start_up_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:AppKey"] = "dingfakeappkey0001",
            ["DingGen:AppSecret"] = "fake-app-secret",
            ["DingGen:Recovery:StorePath"] = " ",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDingGen(configuration.GetSection("DingGen")).AddFailedEventRecovery();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<DingFailedEventRecoveryOptions>>().Get(DingGenServiceCollectionExtensions.DefaultAppName));
        Assert.Contains("DingGen:Recovery:StorePath must not be empty", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(TestDispatcher dispatcher, TimeProvider? time = null, int? maxAttempts = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DingGen:AppKey"] = _server.Options.AppKey,
            ["DingGen:AppSecret"] = _server.Options.AppSecret,
            ["DingGen:OpenApi:BaseAddress"] = _server.BaseAddress.ToString(),
            ["DingGen:Recovery:StorePath"] = _storePath,
            ["DingGen:Recovery:MaxAttempts"] = maxAttempts?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IDingEventDispatcher>(dispatcher);
        services.AddDingGen(configuration.GetSection("DingGen")).AddFailedEventRecovery();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
