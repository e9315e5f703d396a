using System.Text;
using DingGen.Tests.ApprovalsModule;
using DingGen.Tests.HrModule;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DingGen.Runtime.Tests.Dispatch;

/// <summary>
/// Dispatch through the code the generator emitted for this test assembly and for the two module assemblies
/// (tests/Modules), exactly as a user's build produces it.
/// </summary>
public sealed class GeneratedDispatchTests
{
    private const string ChatTitle = """{"EventType":"chat_update_title","chatId":"chat5e1f","title":"项目协作群（新）","timeStamp":1717036600400}""";

    private static ServiceProvider BuildProvider(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<Recorder>();
        services.AddScoped<PerEventService>();
        services.AddKeyedSingleton("utc", new KeyedClock("utc-clock"));
        services.AddDingEventHandlers();
        services.AddDingJsonContext(TestJsonContext.Default);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static DingEventContext Context(IServiceProvider services, string eventType, string json, CancellationToken token = default) =>
        new(eventType, Encoding.UTF8.GetBytes(json), services) { CancellationToken = token };

    [Fact]
    public async Task Every_handler_of_the_event_runs_once_with_payload_context_token_and_services()
    {
        using var provider = BuildProvider();
        using var cts = new CancellationTokenSource();
        var router = provider.GetRequiredService<DingEventRouter>();
        var context = Context(provider, "chat_update_title", ChatTitle, cts.Token);

        var result = await router.DispatchAsync(context);

        Assert.Equal(DingDispatchStatus.Handled, result.Status);
        var calls = provider.GetRequiredService<Recorder>().Calls;
        Assert.Equal(new[] { "First", "Second" }, calls.Select(c => c.Handler));

        var first = calls[0];
        var payload = Assert.IsType<ChatPayload>(first.Payload);
        Assert.Equal("chat5e1f", payload.ChatId);
        Assert.Equal("项目协作群（新）", payload.Title);
        Assert.Equal(1717036600400, payload.TimeStamp);
        Assert.Same(context, first.Context);
        Assert.Equal(cts.Token, first.Token);

        var second = calls[1];
        Assert.Equal("项目协作群（新）", second.Payload);
        Assert.Equal(cts.Token, second.Token);
        var (sameScope, missing, clock) = ((PerEventService, IOptionalService?, string))second.Service!;
        Assert.Same(first.Service, sameScope);
        Assert.Null(missing);
        Assert.Equal("utc-clock", clock);
    }

    [Fact]
    public async Task Each_event_gets_its_own_DI_scope()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();

        await router.DispatchAsync(Context(provider, "chat_update_title", ChatTitle));
        await router.DispatchAsync(Context(provider, "chat_update_title", ChatTitle));

        var scoped = provider.GetRequiredService<Recorder>().Calls.Where(c => c.Handler == "First").Select(c => ((PerEventService)c.Service!).Id).ToArray();
        Assert.Equal(2, scoped.Length);
        Assert.NotEqual(scoped[0], scoped[1]);
    }

    [Fact]
    public async Task A_failing_handler_is_reported_by_name_and_the_others_still_run()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();

        var result = await router.DispatchAsync(Context(provider, "chat_disband", """{"EventType":"chat_disband"}"""));

        Assert.Equal(DingDispatchStatus.Failed, result.Status);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("DingGen.Runtime.Tests.Dispatch.ChatHandlers.Throws", failure.HandlerName);
        Assert.Equal("chat_disband", failure.EventType);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Equal(new[] { "Throws", "AfterThrow" }, provider.GetRequiredService<Recorder>().Calls.Select(c => c.Handler));
    }

    [Fact]
    public async Task A_payload_that_does_not_fit_fails_without_calling_any_handler()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();

        var result = await router.DispatchAsync(Context(provider, "chat_update_title", """{"EventType":"chat_update_title","timeStamp":{"nested":true}}"""));

        Assert.Equal(DingDispatchStatus.Failed, result.Status);
        Assert.Contains("ChatPayload", Assert.Single(result.Failures).HandlerName, StringComparison.Ordinal);
        Assert.Empty(provider.GetRequiredService<Recorder>().Calls);
    }

    [Fact]
    public async Task A_DingCustomEvent_type_is_the_payload_of_its_tag()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();

        var result = await router.DispatchAsync(Context(provider, "new_thing_happened", """{"thingId":"t-1"}"""));

        Assert.Equal(DingDispatchStatus.Handled, result.Status);
        var call = Assert.Single(provider.GetRequiredService<Recorder>().Calls);
        Assert.Equal(new NewThing("t-1"), call.Payload);
    }

    [Fact]
    public async Task An_event_nobody_handles_is_not_handled_and_runs_nothing()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();

        var result = await router.DispatchAsync(Context(provider, "calendar_event_change", "{}"));

        Assert.Equal(DingDispatchStatus.NotHandled, result.Status);
        Assert.Empty(provider.GetRequiredService<Recorder>().Calls);
    }

    [Fact]
    public void The_tag_list_is_distinct_ordinal_and_has_no_handshake_tags()
    {
        Assert.Equal(new[] { "chat_disband", "chat_update_title", "new_thing_happened" }, DingEventTags.All);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)DingEventTags.All)[0] = "x");
    }

    [Fact]
    public void The_UTF8_tag_match_returns_the_interned_tag_and_allocates_nothing()
    {
        using var provider = BuildProvider();
        var dispatcher = provider.GetRequiredService<DingEventDispatcher>();

        Assert.True(dispatcher.TryMatchEventType("chat_update_title"u8, out var tag));
        Assert.Same(string.IsInterned("chat_update_title"), tag);
        Assert.False(dispatcher.TryMatchEventType("chat_update_titlf"u8, out _));
        Assert.False(dispatcher.TryMatchEventType(""u8, out _));

        dispatcher.TryMatchEventType("chat_disband"u8, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            dispatcher.TryMatchEventType("chat_disband"u8, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Start_up_fails_naming_every_payload_type_no_context_knows()
    {
        var services = new ServiceCollection();
        services.AddDingEventHandlers();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DingEventRouter>());

        Assert.Contains("DingGen.Runtime.Tests.Dispatch.ChatPayload", error.Message, StringComparison.Ordinal);
        Assert.Contains("DingGen.Runtime.Tests.Dispatch.NewThing", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddJsonContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDingEventHandlers_is_idempotent_and_order_independent()
    {
        var services = new ServiceCollection();
        services.AddDingJsonContext(TestJsonContext.Default);
        services.AddDingEventHandlers();
        services.AddDingEventHandlers();
        services.AddDingGenCore();
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IDingEventDispatcher>());
    }

    [Fact]
    public async Task Two_modules_share_one_event_and_the_router_knows_the_union_of_their_tags()
    {
        using var provider = BuildProvider(services =>
        {
            services.AddSingleton<ApprovalsJournal>();
            services.AddSingleton<HrJournal>();
            services.AddDingModule<DingGenTestsApprovalsModuleDingModule>();
            services.AddDingModule<DingGenTestsHrModuleDingModule>();
            services.AddDingJsonContext(ApprovalsJsonContext.Default);
        });
        var router = provider.GetRequiredService<DingEventRouter>();
        const string json = """{"EventType":"user_add_org","UserId":["0214382847291053"]}""";

        var result = await router.DispatchAsync(Context(provider, "user_add_org", json));

        Assert.Equal(DingDispatchStatus.Handled, result.Status);
        Assert.Equal(new[] { "approvals:user_add_org:user_add_org" }, provider.GetRequiredService<ApprovalsJournal>().Entries);
        Assert.Equal(new[] { $"hr:user_add_org:{Encoding.UTF8.GetByteCount(json)}" }, provider.GetRequiredService<HrJournal>().Entries);
        Assert.Equal(
            new[] { "bpms_instance_change", "chat_disband", "chat_update_title", "new_thing_happened", "org_dept_create", "user_add_org", "user_leave_org" },
            router.HandledEventTypes);
        Assert.Equal(new[] { "org_dept_create", "user_add_org", "user_leave_org" }, DingGenTestsHrModuleDingModule.EventTypes);
    }

    [Fact]
    public async Task Handler_durations_reach_the_observer_measured_on_the_context_clock()
    {
        using var provider = BuildProvider();
        var router = provider.GetRequiredService<DingEventRouter>();
        var clock = new FakeTimeProvider();
        var observer = new RecordingObserver();
        var context = new DingEventContext("chat_disband", Encoding.UTF8.GetBytes("""{"EventType":"chat_disband"}"""), provider)
        {
            TimeProvider = clock,
            Observer = observer,
        };

        await router.DispatchAsync(context);

        Assert.Equal(2, observer.Completed.Count);
        Assert.Equal("DingGen.Runtime.Tests.Dispatch.ChatHandlers.Throws", observer.Completed[0].Name);
        Assert.IsType<InvalidOperationException>(observer.Completed[0].Exception);
        Assert.Equal("DingGen.Runtime.Tests.Dispatch.StaticHandlers.AfterThrow", observer.Completed[1].Name);
        Assert.Null(observer.Completed[1].Exception);
        Assert.All(observer.Completed, c => Assert.Equal(TimeSpan.Zero, c.Duration));
    }

    private sealed class RecordingObserver : IDingHandlerObserver
    {
        public List<(string Name, TimeSpan Duration, Exception? Exception)> Completed { get; } = new();

        public void OnHandlerCompleted(DingEventContext context, string handlerName, TimeSpan duration, Exception? exception) =>
            Completed.Add((handlerName, duration, exception));
    }
}
