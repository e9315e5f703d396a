using Microsoft.Playwright;

namespace DingGen.Dashboard.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright. Playwright's own browser download is never used: the browser is
/// <c>/usr/bin/chromium</c> (scripts/test.sh installs the <c>chromium</c> package when it is missing) or <c>DINGGEN_CHROMIUM</c>.
/// A missing browser FAILS the tests with that instruction; it never skips them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutableVariable = "DINGGEN_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(Problem ?? "The browser did not start.");

    /// <summary>Why the browser is not available, reported by each test that needs it.</summary>
    public string? Problem { get; private set; }

    public static string ExecutablePath => Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Problem = $"Chromium was not found at {ExecutablePath}. The dashboard's browser tests need Debian's chromium package: run `bash scripts/test.sh` "
                + $"(it installs it), or `apt-get update && apt-get install -y chromium`, or set {ExecutableVariable} to a Chromium executable.";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A new page (own cookies) that records Content-Security-Policy violations and page errors.</summary>
    public async Task<(IPage Page, List<string> Violations)> NewPageAsync()
    {
        if (Problem is not null)
        {
            Assert.Fail(Problem);
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            // The browser's own favicon request (404) is not the page's business; CSP violations and script errors are.
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (violations)
            {
                violations.Add(error);
            }
        };
        return (page, violations);
    }
}
