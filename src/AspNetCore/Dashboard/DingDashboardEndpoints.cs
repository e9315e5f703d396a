using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace DingGen;

/// <summary>The dashboard's request handlers: the page, the status JSON and the four POST actions (each checked by antiforgery first).</summary>
internal sealed class DingDashboardEndpoints
{
    private readonly DingDashboardService _service;
    private readonly IAntiforgery _antiforgery;
    private readonly DingDashboardOptions _options;
    private readonly string _basePath;

    public DingDashboardEndpoints(DingDashboardService service, IAntiforgery antiforgery, DingDashboardOptions options, string basePath)
    {
        _service = service;
        _antiforgery = antiforgery;
        _options = options;
        _basePath = basePath;
    }

    public async Task PageAsync(HttpContext http)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        SecurityHeaders(http, nonce);
        var tokens = _antiforgery.GetAndStoreTokens(http);
        var status = await _service.ReadAsync(http.RequestAborted).ConfigureAwait(false);
        var html = DingDashboardPage.Render(status, http.Request.PathBase + _basePath, tokens.FormFieldName, tokens.RequestToken!, nonce, _options.AutoRefresh);
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html, Encoding.UTF8, http.RequestAborted).ConfigureAwait(false);
    }

    public async Task StatusAsync(HttpContext http)
    {
        SecurityHeaders(http, nonce: null);
        var status = await _service.ReadAsync(http.RequestAborted).ConfigureAwait(false);
        var json = JsonSerializer.SerializeToUtf8Bytes(status, DingDashboardJsonContext.Default.DingDashboardStatus);
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = json.Length;
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }

    public Task SyncAsync(HttpContext http) => ActAsync(http, (form, ct) => _service.SyncAsync(form["app"].ToString(), form["url"].ToString(), ct));

    public Task RecoverAsync(HttpContext http) => ActAsync(http, (form, ct) => _service.RecoverAsync(form["app"].ToString(), ct));

    public Task RetryAsync(HttpContext http) => ActAsync(http, (form, ct) =>
        long.TryParse(form["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? _service.RetryAsync(id, ct)
            : throw new BadHttpRequestException("The form field id must be an inbox entry id."));

    public Task PurgeAsync(HttpContext http) => ActAsync(http, (form, ct) =>
        form["id"].ToString() is not { Length: > 0 } text ? _service.PurgeAsync(ct)
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _service.PurgeAsync(id, ct)
        : throw new BadHttpRequestException("The form field id must be an inbox entry id."));

    private async Task ActAsync(HttpContext http, Func<IFormCollection, CancellationToken, Task> action)
    {
        SecurityHeaders(http, nonce: null);
        if (!http.Request.HasFormContentType || !await _antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("Refused: the antiforgery token is missing or invalid. Open the dashboard page and use its buttons.", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            await action(form, http.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(ex.Message, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Post/redirect/get: the page shows the outcome in "Recent actions".
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = http.Request.PathBase + _basePath + "#actions";
    }

    private static void SecurityHeaders(HttpContext http, string? nonce)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = nonce is null
            ? "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            : $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
