using System.Globalization;

namespace DingGen;

/// <summary>Renders <see cref="DingDashboardStatus"/> as one self-contained HTML page: inline CSS and SVG, one optional script, all under the CSP nonce.</summary>
internal static class DingDashboardPage
{
    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:baseline}
        header h1{font-size:18px;margin:0} header span{color:#b8c0d0;font-size:12px}
        main{padding:16px 24px;max-width:1200px}
        section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 16px;margin-bottom:16px}
        h2{font-size:16px;margin:0 0 8px} h3{font-size:14px;margin:14px 0 6px;color:#41495a}
        table{border-collapse:collapse;width:100%;font-size:13px} th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
        th{color:#5b6475;font-weight:600} code{font:12px ui-monospace,Menlo,Consolas,monospace} td code,td.bad{word-break:break-all}
        td:first-child{white-space:nowrap}
        .ok{color:#1a7f37} .bad{color:#c62828;font-weight:600} .warn{color:#9a6700;font-weight:600} .muted{color:#6b7385}
        tr.drift td{background:#fff4e5} tr.failed td{background:#fdecea}
        .badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
        .b-ok{background:#dafbe1;color:#1a7f37} .b-bad{background:#fdecea;color:#c62828} .b-warn{background:#fff4e5;color:#9a6700} .b-off{background:#eceef2;color:#5b6475}
        form{display:inline} button{font:inherit;font-size:13px;padding:2px 10px;border:1px solid #8a93a6;border-radius:4px;background:#fff;cursor:pointer}
        button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff} input[type=url]{font:inherit;font-size:13px;width:320px;padding:2px 6px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin-bottom:8px}
        .stat{border:1px solid #eceef2;border-radius:4px;padding:6px 10px} .stat b{display:block;font-size:20px}
        .legend span{margin-right:12px;font-size:12px} .sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        .sw-h{background:#2da44e} .sw-n{background:#8c959f} .sw-f{background:#cf222e} a.hl{color:#b8c0d0}
        """;

    public static string Render(DingDashboardStatus status, string basePath, string antiforgeryField, string antiforgeryToken, string nonce, TimeSpan autoRefresh)
    {
        var w = new DingHtmlWriter();
        w.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        w.Raw("<title>DingGen dashboard</title><style").Attr("nonce", nonce).Raw(">").Raw(Css).Raw("</style></head><body>");
        w.Raw("<header><h1>DingGen dashboard</h1><span>").Text($"{Time(status.GeneratedAt)} · environment {status.Environment}")
            .Raw(" · <a class=\"hl\"").Attr("href", basePath + "/api/status").Raw(">status JSON</a></span></header><main>");

        var form = new Form(basePath, antiforgeryField, antiforgeryToken);
        Actions(w, status);
        Chart(w, status.LastHour);
        foreach (var app in status.Apps)
        {
            App(w, app, form);
        }

        if (status.Apps.Count == 0)
        {
            w.Raw("<section><h2>No DingTalk app</h2><p>Add one with <code>services.AddDingGen(configuration.GetSection(\"DingGen\"))</code>.</p></section>");
        }

        Inbox(w, status.Inbox, form);
        w.Raw("</main>");
        if (autoRefresh > TimeSpan.Zero)
        {
            // The page works without it; it only reloads the page while no form field is being edited.
            w.Raw("<script").Attr("nonce", nonce).Raw(">function r(){var a=document.activeElement;if(a&&a.tagName==='INPUT'){setTimeout(r," + Ms(autoRefresh) + ");}else{location.reload();}}setTimeout(r," + Ms(autoRefresh) + ");</script>");
        }

        w.Raw("</body></html>");
        return w.ToString();
    }

    private static void Actions(DingHtmlWriter w, DingDashboardStatus status)
    {
        if (status.Actions.Count == 0)
        {
            return;
        }

        w.Raw("<section id=\"actions\"><h2>Recent actions</h2><table><tr><th>time</th><th>action</th><th>app</th><th>result</th></tr>");
        foreach (var action in status.Actions)
        {
            w.Raw("<tr><td>").Text(Time(action.At)).Raw("</td><td>").Text(action.Action).Raw("</td><td>").Text(action.App).Raw("</td><td")
                .Attr("class", action.Succeeded ? "ok" : "bad").Raw(">").Text(action.Result).Raw("</td></tr>");
        }

        w.Raw("</table></section>");
    }

    private static void Chart(DingHtmlWriter w, IReadOnlyList<DingDashboardMinute> minutes)
    {
        const int width = 720, height = 120, bar = width / DingDashboardDeliveryLog.Minutes;
        long max = 1, total = 0;
        foreach (var m in minutes)
        {
            var sum = m.Handled + m.NotHandled + m.Failed;
            max = Math.Max(max, sum);
            total += sum;
        }

        w.Raw("<section id=\"chart\"><h2>Deliveries per minute, last hour (all apps)</h2>");
        w.Raw("<svg role=\"img\" width=\"").Text(width).Raw("\" height=\"").Text(height + 16).Raw("\" viewBox=\"0 0 ").Text(width).Raw(" ").Text(height + 16).Raw("\">");
        w.Raw("<title>").Text($"{total} deliveries in the last hour; busiest minute {max}").Raw("</title>");
        w.Raw("<rect x=\"0\" y=\"0\" width=\"").Text(width).Raw("\" height=\"").Text(height).Raw("\" fill=\"#f8f9fb\"/>");
        for (var i = 0; i < minutes.Count; i++)
        {
            var m = minutes[i];
            var y = (double)height;
            foreach (var (count, color) in new[] { (m.Handled, "#2da44e"), (m.NotHandled, "#8c959f"), (m.Failed, "#cf222e") })
            {
                if (count == 0)
                {
                    continue;
                }

                var h = count * (double)height / max;
                y -= h;
                w.Raw("<rect x=\"").Text(i * bar).Raw("\" y=\"").Raw(Num(y)).Raw("\" width=\"").Text(bar - 1).Raw("\" height=\"").Raw(Num(h)).Raw("\" fill=\"").Raw(color).Raw("\">")
                    .Raw("<title>").Text($"{m.Minute:HH:mm} UTC: {m.Handled} handled, {m.NotHandled} not handled, {m.Failed} failed").Raw("</title></rect>");
            }
        }

        w.Raw("<text x=\"0\" y=\"").Text(height + 13).Raw("\" font-size=\"11\" fill=\"#6b7385\">-60 min</text>");
        w.Raw("<text x=\"").Text(width).Raw("\" y=\"").Text(height + 13).Raw("\" font-size=\"11\" fill=\"#6b7385\" text-anchor=\"end\">now</text>");
        w.Raw("<text x=\"4\" y=\"12\" font-size=\"11\" fill=\"#6b7385\">").Text(max).Raw("/min</text></svg>");
        w.Raw("<div class=\"legend\"><span><i class=\"sw sw-h\"></i>handled</span><span><i class=\"sw sw-n\"></i>not handled</span><span><i class=\"sw sw-f\"></i>failed</span></div></section>");
    }

    private static void App(DingHtmlWriter w, DingDashboardApp app, Form form)
    {
        w.Raw("<section class=\"app\"").Attr("data-app", app.Name).Raw("><h2>").Text(app.DisplayName).Raw("</h2>");
        w.Raw("<div class=\"grid\">")
            .Raw("<div class=\"stat\">handled, last hour<b>").Text(app.LastHour.Handled).Raw("</b></div>")
            .Raw("<div class=\"stat\">not handled<b>").Text(app.LastHour.NotHandled).Raw("</b></div>")
            .Raw("<div class=\"stat\">failed<b").Attr("class", app.LastHour.Failed > 0 ? "bad" : null).Raw(">").Text(app.LastHour.Failed).Raw("</b></div>")
            .Raw("</div>");

        Registration(w, app, form);
        if (app.Stream is { } stream)
        {
            w.Raw("<h3>Stream mode</h3><p class=\"stream\">connection ")
                .Raw(Badge(stream.State, stream.State == "Connected" ? "b-ok" : stream.State == "Stopped" ? "b-bad" : "b-warn"))
                .Raw(" since ").Text(Time(stream.Since));
            if (stream.LastError is not null)
            {
                w.Raw(" · last error <span class=\"bad\">").Text(stream.LastError).Raw("</span>");
            }

            w.Raw("<br>last frame <span class=\"last-frame\">").Text(stream.LastFrameAt is { } lastFrame ? Time(lastFrame) : "none yet").Raw("</span>")
                .Raw(" · frames <b class=\"frames\">").Text(stream.Frames).Raw("</b> · reconnects <b")
                .Attr("class", stream.Reconnects > 0 ? "reconnects warn" : "reconnects").Raw(">").Text(stream.Reconnects).Raw("</b>")
                .Raw("<br><span class=\"holder\">");
            switch (stream.Connection)
            {
                case "this_replica":
                    w.Raw("this replica holds the connection (").Text(stream.Replica).Raw(")");
                    break;
                case "other_replica":
                    w.Raw(Badge("standby", "b-off")).Raw(" held by ").Text(stream.Holder).Raw(" <span class=\"muted\">(this replica: ").Text(stream.Replica).Raw(")</span>");
                    break;
                case "unknown":
                    w.Raw("connection lease not read yet <span class=\"muted\">(this replica: ").Text(stream.Replica).Raw(")</span>");
                    break;
                default:
                    w.Raw("<span class=\"muted\">every replica connects (no stream-connection lease)</span>");
                    break;
            }

            w.Raw("</span></p>");
        }

        Recovery(w, app, form);
        Deliveries(w, app);
        w.Raw("</section>");
    }

    private static void Registration(DingHtmlWriter w, DingDashboardApp app, Form form)
    {
        var r = app.Registration;
        w.Raw("<h3>Registration</h3><p class=\"registration\">");
        w.Raw(r.State switch
        {
            "in_sync" => Badge("in step with DingTalk", "b-ok"),
            "drift" => Badge("drift", "b-bad"),
            "not_registered" => Badge("not registered at DingTalk", "b-warn"),
            "error" => Badge("DingTalk unreachable", "b-bad"),
            _ => Badge("server API client not configured", "b-off"),
        });
        if (r.Url is not null)
        {
            w.Raw(" URL <code>").Text(r.Url).Raw("</code>");
        }

        if (r.CheckedAt is { } checkedAt)
        {
            w.Raw(" <span class=\"muted\">checked ").Text(Time(checkedAt)).Raw("</span>");
        }

        if (r.Error is not null)
        {
            w.Raw("<br><span class=\"bad\">").Text(r.Error).Raw("</span>");
        }

        w.Raw("</p><table class=\"tags\"><tr><th>event tag</th><th>handled here</th><th>registered at DingTalk</th><th></th></tr>");
        var registered = r.RegisteredEventTypes ?? [];
        foreach (var tag in app.HandledEventTypes.Union(registered, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var handshake = DingHandshakeEvents.Contains(tag);
            var isHandled = app.HandledEventTypes.Contains(tag, StringComparer.Ordinal);
            var isRegistered = registered.Contains(tag, StringComparer.Ordinal);
            string note;
            var drift = false;
            if (handshake)
            {
                note = "handshake, never registered";
            }
            else if (r.RegisteredEventTypes is null)
            {
                note = string.Empty;
            }
            else if (isHandled && !isRegistered)
            {
                note = "DingTalk does not send it";
                drift = true;
            }
            else if (!isHandled && isRegistered)
            {
                note = "sent by DingTalk, handled by no module";
                drift = true;
            }
            else
            {
                note = "in step";
            }

            w.Raw("<tr").Attr("class", drift ? "drift" : null).Attr("data-tag", tag).Raw("><td><code>").Text(tag).Raw("</code></td><td>")
                .Raw(isHandled ? "<span class=\"ok\">yes</span>" : "<span class=\"muted\">no</span>").Raw("</td><td>")
                .Raw(r.RegisteredEventTypes is null ? "<span class=\"muted\">unknown</span>" : isRegistered ? "<span class=\"ok\">yes</span>" : "<span class=\"muted\">no</span>")
                .Raw("</td><td").Attr("class", drift ? "warn" : "muted").Raw(">").Text(note).Raw("</td></tr>");
        }

        w.Raw("</table>");
        if (r.State is not "not_configured")
        {
            form.Open(w, "sync", app.Name);
            if (r.Url is null)
            {
                w.Raw("<input type=\"url\" name=\"url\" required placeholder=\"https://your.host/dingtalk/callback\"> ");
            }

            w.Raw("<button class=\"primary\" type=\"submit\">Sync now</button></form>");
            w.Raw(" <span class=\"muted\">registers the handled tags at DingTalk (SyncCallbackAsync)</span>");
        }
    }

    private static void Recovery(DingHtmlWriter w, DingDashboardApp app, Form form)
    {
        if (!app.Recovery.Available)
        {
            return;
        }

        w.Raw("<h3>DingTalk's failed list</h3><p class=\"recovery\">");
        if (app.Recovery.LastRun is { } run)
        {
            if (run.Error is not null)
            {
                w.Raw("last recovery ").Text(Time(run.At)).Raw(": <span class=\"bad\">").Text(run.Error).Raw("</span> ");
            }
            else
            {
                w.Raw("last recovery ").Text(Time(run.At)).Raw(": <b>").Text(run.Entries).Raw("</b> failed entr").Raw(run.Entries == 1 ? "y" : "ies")
                    .Raw(" (").Text(run.Handled).Raw(" handled, ").Text(run.Failed).Raw(" failed, ").Text(run.Skipped).Raw(" skipped) ");
            }
        }
        else
        {
            w.Raw("<span class=\"muted\">DingTalk's failed list is read only by a recovery (a read may take the entries off DingTalk's list), so its size is known after one.</span> ");
        }

        form.Open(w, "recover", app.Name);
        w.Raw("<button type=\"submit\">Recover now</button></form></p>");
    }

    private static void Deliveries(DingHtmlWriter w, DingDashboardApp app)
    {
        w.Raw("<h3>Latest deliveries</h3>");
        if (app.RecentDeliveries.Count == 0)
        {
            w.Raw("<p class=\"muted\">No delivery since the host started.</p>");
            return;
        }

        w.Raw("<table class=\"deliveries\"><tr><th>time (UTC)</th><th>channel</th><th>event type</th><th>event id</th><th>outcome</th><th>duration</th><th>failed handlers</th></tr>");
        foreach (var d in app.RecentDeliveries)
        {
            w.Raw("<tr").Attr("class", d.Outcome == "failed" ? "failed" : null).Attr("data-event-id", d.EventId).Raw("><td>").Text(Time(d.CompletedAt)).Raw("</td><td>").Text(d.Channel)
                .Raw("</td><td><code>").Text(d.EventType).Raw("</code></td><td><code>").Text(d.EventId).Raw("</code></td><td class=\"outcome\">")
                .Raw(d.Outcome switch { "handled" => Badge("handled", "b-ok"), "failed" => Badge("failed", "b-bad"), _ => Badge("not handled", "b-off") })
                .Raw("</td><td>").Text(d.DurationMs.ToString("0.0", CultureInfo.InvariantCulture)).Raw(" ms</td><td><code>").Text(string.Join(", ", d.FailedHandlers)).Raw("</code></td></tr>");
        }

        w.Raw("</table>");
    }

    private static void Inbox(DingHtmlWriter w, DingDashboardInbox? inbox, Form form)
    {
        w.Raw("<section id=\"inbox\"><h2>Durable inbox</h2>");
        if (inbox is null)
        {
            w.Raw("<p class=\"muted\">Off: deliveries run their handlers while DingTalk waits. Turn it on with <code>UseSqliteInbox()</code>.</p></section>");
            return;
        }

        if (inbox.Error is not null)
        {
            w.Raw("<p class=\"bad\">").Text(inbox.Error).Raw("</p>");
        }

        w.Raw("<div class=\"grid\">")
            .Raw("<div class=\"stat\">pending<b id=\"inbox-pending\">").Text(inbox.Pending).Raw("</b></div>")
            .Raw("<div class=\"stat\">retrying (failed before)<b>").Text(inbox.Retrying).Raw("</b></div>")
            .Raw("<div class=\"stat\">dead letters<b id=\"inbox-dead\"").Attr("class", inbox.Dead > 0 ? "bad" : null).Raw(">").Text(inbox.Dead).Raw("</b></div>")
            .Raw("<div class=\"stat\">done (kept for deduplication)<b id=\"inbox-done\">").Text(inbox.Done switch
            {
                null => "–",
                >= DingInboxStats.DoneCountLimit => DingInboxStats.DoneCountLimit.ToString("N0", CultureInfo.InvariantCulture) + "+",
                { } done => done.ToString("N0", CultureInfo.InvariantCulture),
            }).Raw("</b></div>")
            .Raw("<div class=\"stat\">oldest pending<b>").Text(inbox.OldestPendingAgeSeconds is { } age ? Age(age) : "–").Raw("</b></div></div>");

        if (inbox.DeadLetters.Count > 0)
        {
            w.Raw("<table class=\"dead\"><tr><th>id</th><th>app</th><th>channel</th><th>event type</th><th>event id</th><th>received</th><th>attempts</th><th>last error</th><th></th></tr>");
            foreach (var d in inbox.DeadLetters)
            {
                w.Raw("<tr").Attr("data-inbox-id", d.Id.ToString(CultureInfo.InvariantCulture)).Raw("><td>").Text(d.Id).Raw("</td><td>").Text(d.App).Raw("</td><td>").Text(d.Channel)
                    .Raw("</td><td><code>").Text(d.EventType).Raw("</code></td><td><code>").Text(d.EventId).Raw("</code></td><td>").Text(Time(d.ReceivedAt))
                    .Raw("</td><td>").Text(d.Attempts).Raw("</td><td class=\"bad\">").Text(d.LastError).Raw("</td><td>");
                if (inbox.Administrable)
                {
                    form.Open(w, "retry", null);
                    w.Raw("<input type=\"hidden\" name=\"id\"").Attr("value", d.Id.ToString(CultureInfo.InvariantCulture)).Raw("><button type=\"submit\">Retry</button></form>");
                    form.Open(w, "purge", null);
                    w.Raw(" <input type=\"hidden\" name=\"id\"").Attr("value", d.Id.ToString(CultureInfo.InvariantCulture)).Raw("><button type=\"submit\">Purge</button></form>");
                }

                w.Raw("</td></tr>");
            }

            w.Raw("</table>");
            if (inbox.Administrable)
            {
                form.Open(w, "purge", null);
                w.Raw("<button type=\"submit\">Purge all dead letters</button></form> <span class=\"muted\">deletes every dead letter (a later redelivery of the event is stored again)</span>");
            }
        }
        else
        {
            w.Raw("<p class=\"ok\">No dead letters.</p>");
        }

        w.Raw("</section>");
    }

    private static string Badge(string text, string css)
    {
        var w = new DingHtmlWriter();
        return w.Raw("<span").Attr("class", "badge " + css).Raw(">").Text(text).Raw("</span>").ToString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Age(double seconds) => seconds switch
    {
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.0} h",
    };

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Opens a POST form to an action, with the antiforgery token and the app name.</summary>
    private sealed class Form(string basePath, string field, string token)
    {
        public void Open(DingHtmlWriter w, string action, string? app)
        {
            w.Raw("<form method=\"post\"").Attr("action", basePath + "/actions/" + action).Attr("class", "action-" + action).Raw(">")
                .Raw("<input type=\"hidden\"").Attr("name", field).Attr("value", token).Raw(">");
            if (app is not null)
            {
                w.Raw("<input type=\"hidden\" name=\"app\"").Attr("value", app).Raw(">");
            }
        }
    }
}
