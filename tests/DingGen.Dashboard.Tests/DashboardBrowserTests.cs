using System.Net;
using System.Text.Json;
using ApprovalHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DingGen.Dashboard.Tests;

/// <summary>The dashboard in Debian's Chromium against the approval sample's handlers on a real loopback Kestrel.</summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string LateInstance = "6c5b4a39-2817-4f60-9e8d-7c6b5a493827";
    private const string OtherInstance = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    private static readonly string LatePayload = $$"""{"EventType":"bpms_instance_change","processInstanceId":"{{LateInstance}}","finishTime":1719811000000,"corpId":"{{DashboardHost.CorpId}}","title":"赵六提交的采购申请","type":"finish","result":"agree","createTime":1719810500000,"staffId":"0437261958473620","processCode":"PROC-9E8D7C6B-5A49-4382-A716-0F1E2D3C4B5A"}""";

    [Fact(Timeout = 180_000)]
    public async Task The_page_shows_the_sample_app_and_its_tags_highlights_drift_and_sync_now_fixes_it()
    {
        await using var host = await DashboardHost.StartAsync();
        var (page, violations) = await browser.NewPageAsync();

        // DingTalk holds an older registration: one handled tag missing, one tag nobody handles.
        var handled = host.App.Services.GetRequiredService<DingEventRouter>().HandledEventTypes;
        host.DingTalk.SetRegistration(new DingCallbackRegistration(host.CallbackUrl, [.. handled.Where(t => t != "org_dept_remove"), "calendar_event_change"], DashboardHost.Token, DashboardHost.AesKey));

        await page.GotoAsync(host.DashboardUrl);
        var app = page.Locator("section.app[data-app='']");
        await Assertions.Expect(app.Locator("h2")).ToHaveTextAsync("default app");
        foreach (var tag in new[] { "bpms_instance_change", "bpms_task_change", "user_add_org", "user_leave_org", "org_dept_create", "org_dept_modify", "org_dept_remove" })
        {
            await Assertions.Expect(app.Locator($"table.tags tr[data-tag='{tag}']")).ToBeVisibleAsync();
        }

        await Assertions.Expect(app.Locator("p.registration")).ToContainTextAsync("drift");
        await Assertions.Expect(app.Locator("tr.drift[data-tag='org_dept_remove']")).ToContainTextAsync("DingTalk does not send it");
        await Assertions.Expect(app.Locator("tr.drift[data-tag='calendar_event_change']")).ToContainTextAsync("handled by no module");

        await app.Locator("form.action-sync button").ClickAsync();
        await Assertions.Expect(page.Locator("#actions")).ToContainTextAsync("updated " + host.CallbackUrl);
        await Assertions.Expect(app.Locator("p.registration")).ToContainTextAsync("in step with DingTalk");
        await Assertions.Expect(app.Locator("tr.drift")).ToHaveCountAsync(0);
        Assert.Equal(handled.Where(t => !DingHandshakeEvents.Contains(t)).Order(StringComparer.Ordinal), host.DingTalk.Registration!.Tags.Order(StringComparer.Ordinal));
        Assert.Empty(violations);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_delivery_posted_by_the_simulator_appears_and_a_dead_letter_is_retried_from_the_page()
    {
        await using var host = await DashboardHost.StartAsync(stream: true);
        await host.Gateway!.WaitForConnectionsAsync(1, TimeSpan.FromSeconds(30));
        await host.Gateway.WaitForAckAsync(await host.Gateway.SendPingAsync(), TimeSpan.FromSeconds(30));
        var (page, violations) = await browser.NewPageAsync();
        using var http = host.CreateClient();

        // A delivery exactly as DingTalk posts it.
        var joined = await host.Simulator.PostAsync(http, DashboardHost.CallbackPath,
            $$"""{"EventType":"user_add_org","EventTime":1717034599111,"CorpId":"{{DashboardHost.CorpId}}","eventId":"4be1c0f7a2d94e6b8f3a9c2d1e0f7a6b","userId":["0214382847291053"]}""");
        Assert.True(joined.IsSuccessReply);
        await page.GotoAsync(host.DashboardUrl);
        var joinedRow = page.Locator("table.deliveries tr[data-event-id='4be1c0f7a2d94e6b8f3a9c2d1e0f7a6b']");
        await ReloadUntilVisibleAsync(page, joinedRow);
        await Assertions.Expect(joinedRow).ToContainTextAsync("user_add_org");
        await Assertions.Expect(joinedRow.Locator("td.outcome")).ToHaveTextAsync("handled");

        // An approval whose details cannot be read yet: the sample's handler throws on each of the inbox's 2 attempts -> dead letter.
        var late = await host.Simulator.PostAsync(http, DashboardHost.CallbackPath, LatePayload);
        Assert.True(late.IsSuccessReply);
        var deadRow = page.Locator("table.dead tr[data-inbox-id]");
        await ReloadUntilVisibleAsync(page, deadRow);
        await Assertions.Expect(deadRow).ToContainTextAsync("bpms_instance_change");
        await Assertions.Expect(deadRow).ToContainTextAsync("DingTalkApiException");
        await Assertions.Expect(page.Locator("#inbox-dead")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("table.deliveries tr.failed").First).ToContainTextAsync("ApprovalHandlers.OnInstanceChange");
        var eventId = await deadRow.Locator("td").Nth(4).InnerTextAsync();
        await SaveScreenshotAsync(page);

        // The fault goes away (the approval can be read now); the operator clicks Retry.
        host.DingTalk.AddProcessInstance(LateInstance, ApprovalJson(LateInstance));
        await deadRow.Locator("form.action-retry button").ClickAsync();
        await Assertions.Expect(page.Locator("#actions")).ToContainTextAsync("is due again");
        var handledRow = page.Locator($"table.deliveries tr[data-event-id='{eventId}']:not(.failed)");
        await ReloadUntilVisibleAsync(page, handledRow);
        await Assertions.Expect(handledRow.First.Locator("td.outcome")).ToHaveTextAsync("handled");
        await Assertions.Expect(page.Locator("#inbox-dead")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#inbox-done")).ToHaveTextAsync("2");
        Assert.Contains(host.App.Services.GetRequiredService<IWorkOrderStore>().All, o => o.ProcessInstanceId == LateInstance);

        // Another approval that cannot be read: its dead letter is purged alone from its row.
        var other = await host.Simulator.PostAsync(http, DashboardHost.CallbackPath, LatePayload.Replace(LateInstance, OtherInstance, StringComparison.Ordinal));
        Assert.True(other.IsSuccessReply);
        await ReloadUntilVisibleAsync(page, deadRow);
        var deadId = await deadRow.GetAttributeAsync("data-inbox-id");
        await deadRow.Locator("form.action-purge button").ClickAsync();
        await Assertions.Expect(page.Locator("#actions")).ToContainTextAsync($"dead letter {deadId} (bpms_instance_change) deleted");
        await Assertions.Expect(page.Locator("#inbox-dead")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#inbox-done")).ToHaveTextAsync("2");
        await Assertions.Expect(deadRow).ToHaveCountAsync(0);
        Assert.Empty(violations);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_stream_panel_shows_the_last_frame_the_frames_and_a_reconnect_after_the_gateway_disconnects()
    {
        await using var host = await DashboardHost.StartAsync(stream: true);
        var gateway = host.Gateway!;
        var (page, violations) = await browser.NewPageAsync();
        using var http = host.CreateClient();
        await gateway.WaitForConnectionsAsync(1, TimeSpan.FromSeconds(30));
        await page.GotoAsync(host.DashboardUrl);
        var stream = page.Locator("section.app[data-app=''] p.stream");
        await Assertions.Expect(stream).ToContainTextAsync("Connected");
        await Assertions.Expect(stream.Locator(".last-frame")).ToHaveTextAsync("none yet");
        await Assertions.Expect(stream.Locator(".holder")).ToHaveTextAsync("every replica connects (no stream-connection lease)");

        await gateway.WaitForAckAsync(await gateway.SendPingAsync(), TimeSpan.FromSeconds(30));
        await page.ReloadAsync();
        await Assertions.Expect(stream.Locator(".frames")).ToHaveTextAsync("1");
        await Assertions.Expect(stream.Locator(".reconnects")).ToHaveTextAsync("0");
        Assert.NotEqual("none yet", await stream.Locator(".last-frame").InnerTextAsync());

        // DingTalk asks the client to move: the connection is rotated, which the panel counts as a reconnect.
        await gateway.SendDisconnectAsync();
        await gateway.WaitForConnectionsAsync(2, TimeSpan.FromSeconds(30));
        await page.ReloadAsync();
        await Assertions.Expect(stream).ToContainTextAsync("Connected");
        await Assertions.Expect(stream.Locator(".frames")).ToHaveTextAsync("2");
        await Assertions.Expect(stream.Locator(".reconnects")).ToHaveTextAsync("1");

        using var json = JsonDocument.Parse(await http.GetStringAsync($"{DashboardHost.DashboardPath}/api/status"));
        var status = json.RootElement.GetProperty("apps")[0].GetProperty("stream");
        Assert.Equal("Connected", status.GetProperty("state").GetString());
        Assert.Equal(2, status.GetProperty("frames").GetInt64());
        Assert.Equal(1, status.GetProperty("reconnects").GetInt64());
        Assert.True(status.GetProperty("lastFrameAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal("every_replica", status.GetProperty("connection").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("replica").ValueKind);
        Assert.Empty(violations);
    }

    [Fact(Timeout = 120_000)]
    public async Task Actions_without_the_antiforgery_token_are_refused_and_responses_carry_a_nonce_CSP()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = host.CreateClient();

        foreach (var action in new[] { "sync", "recover", "retry", "purge" })
        {
            using var response = await http.PostAsync($"{DashboardHost.DashboardPath}/actions/{action}", new FormUrlEncodedContent(new Dictionary<string, string> { ["app"] = string.Empty, ["id"] = "1" }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(host.DingTalk.Registration);
        Assert.DoesNotContain(host.DingTalk.Requests, r => r.Path.StartsWith("/call_back/", StringComparison.Ordinal) && r.Path != "/call_back/get_call_back");

        // A GET cannot act: actions are POST only.
        using var get = await http.GetAsync($"{DashboardHost.DashboardPath}/actions/purge");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);

        using var page = await http.GetAsync(DashboardHost.DashboardPath);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace(host.Address.ToString().TrimEnd('/'), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_status_document_is_JSON_for_monitoring_tools()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = host.CreateClient();
        var joined = await host.Simulator.PostAsync(http, DashboardHost.CallbackPath,
            $$"""{"EventType":"user_add_org","CorpId":"{{DashboardHost.CorpId}}","eventId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","userId":["0214382847291053"]}""");
        Assert.True(joined.IsSuccessReply);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync($"{DashboardHost.DashboardPath}/api/status");
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var app = json.RootElement.GetProperty("apps")[0];
            Assert.Equal(string.Empty, app.GetProperty("name").GetString());
            Assert.Contains("bpms_instance_change", app.GetProperty("handledEventTypes").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("not_registered", app.GetProperty("registration").GetProperty("state").GetString());
            Assert.True(app.GetProperty("recovery").GetProperty("available").GetBoolean());
            Assert.Equal(60, json.RootElement.GetProperty("lastHour").GetArrayLength());
            Assert.Equal(0, json.RootElement.GetProperty("inbox").GetProperty("dead").GetInt64());
            var deliveries = app.GetProperty("recentDeliveries");
            if (deliveries.GetArrayLength() > 0)
            {
                var delivery = deliveries[0];
                Assert.Equal("0f1e2d3c4b5a69788796a5b4c3d2e1f0", delivery.GetProperty("eventId").GetString());
                Assert.Equal("handled", delivery.GetProperty("outcome").GetString());
                Assert.Equal("inbox", delivery.GetProperty("channel").GetString());
                Assert.Equal(1, app.GetProperty("lastHour").GetProperty("handled").GetInt64());
                Assert.DoesNotContain("0214382847291053", json.RootElement.GetRawText(), StringComparison.Ordinal); // never payload contents
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the delivery did not appear in the status document");
            await Task.Delay(100);
        }
    }

    private static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await locator.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not shown within 30 s: {locator}");
            await Task.Delay(200);
            await page.ReloadAsync();
        }
    }

    /// <summary>Saves the page for docs/dashboard.md (copied to docs/images/dashboard.png by hand when the page changes).</summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var directory = Directory.GetCurrentDirectory();
        while (directory is not null && !File.Exists(Path.Combine(directory, "DingGen.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        var target = Path.Combine(directory ?? Path.GetTempPath(), "artifacts", "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, FullPage = true });
        Assert.True(new FileInfo(target).Length > 10_000, "the screenshot is empty");
    }

    private static string ApprovalJson(string id) =>
        $$"""{"title":"赵六提交的采购申请","create_time":"2024-06-01 10:30:00","finish_time":"2024-06-01 11:30:00","originator_userid":"0437261958473620","originator_dept_id":"612345678","originator_dept_name":"行政部","status":"COMPLETED","result":"agree","business_id":"202406011030000123456","biz_action":"NONE","form_component_values":[],"tasks":[],"process_instance_id":"{{id}}"}""";
}
