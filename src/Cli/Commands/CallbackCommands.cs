using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DingGen.Cli.Commands;

/// <summary>
/// The <c>dinggen callback …</c> commands: manage the app's callback registration through DingTalk's server API
/// (<c>register_call_back</c>, <c>update_call_back</c>, <c>get_call_back</c>, <c>delete_call_back</c>,
/// <c>get_call_back_failed_result</c>). Credentials come from options or environment variables (the option wins); the
/// AppSecret and the callback keys are never printed. DingTalk errors print <c>error &lt;errcode&gt;: &lt;errmsg&gt; — &lt;hint&gt;</c>
/// and exit 2.
/// </summary>
internal abstract class CallbackCommand : Command
{
    /// <summary>The options every callback command takes.</summary>
    protected static readonly OptionSpec[] CommonOptions =
    [
        new("--app-key", Required: false),
        new("--app-secret", Required: false),
        new("--base-url", Required: false),
        new("--timeout", Required: false),
        new("--json", Required: false, IsFlag: true),
    ];

    /// <summary>The options of the commands that send the registration.</summary>
    protected static readonly OptionSpec[] RegistrationOptions =
    [
        .. CommonOptions,
        new("--token", Required: false),
        new("--aes-key", Required: false),
        new("--url", Required: false),
        new("--tags", Required: false),
        new("--corp-id", Required: false),
        new("--skip-check", Required: false, IsFlag: true),
    ];

    /// <summary>The credentials help shared by the callback commands' usage texts.</summary>
    protected const string CredentialsHelp = """
          --app-key A      the app's AppKey (or DINGGEN_APP_KEY)
          --app-secret S   the app's AppSecret (or DINGGEN_APP_SECRET); never printed
          --base-url U     DingTalk's server API (or DINGGEN_BASE_URL; default https://oapi.dingtalk.com)
          --timeout N      seconds one call may take, retries included (or DINGGEN_TIMEOUT; default 30)
          --json           print JSON for scripts instead of a table
          -h, --help       show this help
        """;

    private static readonly CliJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The JSON metadata of the output types, written with DingTalk's Chinese messages unescaped.</summary>
    protected static CliJsonContext JsonContext => Json;

    public sealed override async Task<int> ExecuteAsync(ParsedArguments args, CliIO io)
    {
        List<string>? missing = null;
        Credentials.TryReadRequired(args, io, "--app-key", Credentials.AppKeyVariable, out var appKey, ref missing);
        Credentials.TryReadRequired(args, io, "--app-secret", Credentials.AppSecretVariable, out var appSecret, ref missing);
        var options = new DingTalkClientOptions { AppKey = appKey, AppSecret = appSecret };
        if (NeedsRegistration)
        {
            Credentials.TryReadRequired(args, io, "--token", Credentials.TokenVariable, out var token, ref missing);
            Credentials.TryReadRequired(args, io, "--aes-key", Credentials.AesKeyVariable, out var aesKey, ref missing);
            if (string.IsNullOrEmpty(args.Optional("--url")))
            {
                (missing ??= []).Add("--url");
            }

            if (string.IsNullOrEmpty(args.Optional("--tags")))
            {
                (missing ??= []).Add("--tags");
            }

            options.Token = token;
            options.AesKey = aesKey;
        }

        if (missing is not null)
        {
            return io.UsageError($"{Name}: missing {string.Join(", ", missing)}");
        }

        if (NeedsRegistration && !DingCallbackCrypto.IsValidAesKey(options.AesKey))
        {
            // Checked here, before anything is sent: DingTalk would only answer 71010 or fail the handshake later.
            return io.UsageError($"{Name}: --aes-key (or {Credentials.AesKeyVariable}) must be 43 Base64 characters (A-Z, a-z, 0-9, +, /); 'dinggen keygen' prints a valid one");
        }

        if (Credentials.Read(args, io, "--base-url", Credentials.BaseUrlVariable) is { } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttps && baseAddress.Scheme != Uri.UriSchemeHttp))
            {
                return io.UsageError($"{Name}: --base-url (or {Credentials.BaseUrlVariable}) must be an absolute http(s) URL");
            }

            options.BaseAddress = baseAddress;
        }

        if (Credentials.Read(args, io, "--timeout", Credentials.TimeoutVariable) is { } timeout)
        {
            if (!double.TryParse(timeout, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || !(seconds is > 0 and <= 3600))
            {
                return io.UsageError($"{Name}: --timeout (or {Credentials.TimeoutVariable}) must be a number of seconds between 0 and 3600");
            }

            options.CallTimeout = TimeSpan.FromSeconds(seconds);
        }

        // The client's own deadline (CallTimeout, 30 s) covers every attempt; no per-attempt timeout on top of it.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        DingTalkClient client;
        try
        {
            client = new DingTalkClient(http, options, io.Time);
        }
        catch (ArgumentException e)
        {
            return io.UsageError($"{Name}: {e.Message}");
        }

        try
        {
            return await RunAsync(client, args, io, args.Flag("--json")).ConfigureAwait(false);
        }
        catch (DingTalkApiException e)
        {
            var hint = CliHint(e);
            io.Stderr.WriteLine($"error {e.ErrorCode}: {e.ErrorMessage}{(string.IsNullOrEmpty(hint) ? string.Empty : $" — {hint}")}");
            io.Stderr.Flush();
            return ExitCodes.Failure;
        }
        catch (DingCallbackUrlCheckException e)
        {
            return io.Error("check_url", $"{e.Reason}{(e.Hint is null ? string.Empty : $" — {e.Hint}")} DingTalk was not asked (--skip-check sends the registration anyway).");
        }
        catch (HttpRequestException e)
        {
            var status = e.StatusCode is { } code ? $" (HTTP {(int)code})" : string.Empty;
            return io.Error("network", $"DingTalk's server API at {options.BaseAddress} failed{status}: {e.Message} — check --base-url (or {Credentials.BaseUrlVariable}) and the network; try again later if DingTalk is down");
        }
        catch (TimeoutException e)
        {
            return io.Error("timeout", $"{e.Message} — check --base-url (or {Credentials.BaseUrlVariable}) and the network");
        }
        catch (OperationCanceledException) when (!io.CancellationToken.IsCancellationRequested)
        {
            return io.Error("timeout", $"DingTalk's server API at {options.BaseAddress} did not answer in time");
        }
    }

    /// <summary>The hint for a command-line user: CLI command names where the library's hint names C# methods.</summary>
    private static string? CliHint(DingTalkApiException e) => e.ErrorCode switch
    {
        71006 => "A callback is already registered for this app (one URL per app): change it with 'dinggen callback update', or see it with 'dinggen callback get'.",
        71007 => "No callback is registered for this app: register one first with 'dinggen callback register'.",
        _ => e.Hint,
    };

    /// <summary>Whether the command sends a registration (needs token, AES key, URL and tags).</summary>
    protected virtual bool NeedsRegistration => false;

    /// <summary>Runs the command with a ready client.</summary>
    protected abstract Task<int> RunAsync(DingTalkClient client, ParsedArguments args, CliIO io, bool json);

    /// <summary>The <c>--tags</c> list: comma-separated, trimmed, distinct, ordinal order.</summary>
    protected static string[] ParseTags(string tags) =>
        tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Writes <paramref name="value"/> as indented JSON and a newline.</summary>
    protected static void WriteJson<T>(CliIO io, T value, JsonTypeInfo<T> typeInfo)
    {
        io.Stdout.Write(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        io.Stdout.WriteByte((byte)'\n');
        io.Stdout.Flush();
    }

    /// <summary>Builds the registration from the options (token and key already validated by <see cref="ExecuteAsync"/>).</summary>
    protected static DingCallbackRegistration Registration(ParsedArguments args, CliIO io) => new(
        args.Required("--url"),
        ParseTags(args.Required("--tags")),
        Credentials.Read(args, io, "--token", Credentials.TokenVariable)!,
        Credentials.Read(args, io, "--aes-key", Credentials.AesKeyVariable)!);
}

/// <summary><c>dinggen callback register</c> / <c>update</c>: sends the registration; DingTalk validates the URL with <c>check_url</c> first.</summary>
internal sealed class CallbackRegisterCommand : CallbackCommand
{
    public static readonly CallbackRegisterCommand Register = new(update: false);
    public static readonly CallbackRegisterCommand Update = new(update: true);

    private readonly bool _update;

    private CallbackRegisterCommand(bool update) => _update = update;

    public override string Name => _update ? "callback update" : "callback register";

    public override IReadOnlyList<OptionSpec> Options => RegistrationOptions;

    public override string Usage => $"""
        Usage: dinggen {Name} --url U --tags a,b,c [--token T] [--aes-key K] [--app-key A] [--app-secret S] [--base-url U] [--json]

        {(_update ? "Replaces the app's callback registration (update_call_back)" : "Registers the app's callback (register_call_back)")}. DingTalk first sends a
        check_url to the URL, encrypted with the enterprise's CorpId as owner key: the host at the URL must answer it,
        so its OwnerKey must be the CorpId (DingGen:OwnerKey), and its Token and AesKey the ones given here.
        With --corp-id the tool plays that check_url itself first and, when the host refuses it, says exactly why (its
        OwnerKey is not the CorpId, the Token or AesKey differ, or the URL is not reachable from here) before DingTalk is asked.

        Options (each takes a value, as --name value or --name=value):
          --url U          the callback URL, e.g. https://example.com/dingtalk/callback
          --tags a,b,c     the event tags to receive, comma-separated
          --token T        the callback Token (or DINGGEN_TOKEN); never printed
          --aes-key K      the callback AesKey, 43 characters (or DINGGEN_AES_KEY); never printed
          --corp-id C      the enterprise's CorpId, ding… (or DINGGEN_CORP_ID): run the pre-flight check_url with it
          --skip-check     send the registration without the pre-flight check
        {CredentialsHelp}
        """;

    protected override bool NeedsRegistration => true;

    protected override async Task<int> RunAsync(DingTalkClient client, ParsedArguments args, CliIO io, bool json)
    {
        var registration = Registration(args, io);
        var corpId = Credentials.Read(args, io, "--corp-id", Credentials.CorpIdVariable);
        var checkedUrl = false;
        if (corpId is not null && !args.Flag("--skip-check"))
        {
            // Play DingTalk's check_url first, so a host that would refuse it is named exactly, before DingTalk is asked.
            var check = await client.CheckCallbackUrlAsync(registration.Url, registration.Token, registration.AesKey, corpId, io.CancellationToken).ConfigureAwait(false);
            if (!check.Accepted)
            {
                throw new DingCallbackUrlCheckException(check);
            }

            checkedUrl = true;
        }

        if (_update)
        {
            await client.UpdateCallbackAsync(registration, io.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await client.RegisterCallbackAsync(registration, io.CancellationToken).ConfigureAwait(false);
        }

        var action = _update ? "updated" : "registered";
        if (json)
        {
            WriteJson(io, new CallbackActionOutput(action, registration.Url, registration.Tags), JsonContext.CallbackActionOutput);
        }
        else
        {
            io.WriteText($"Callback {action}: {registration.Url}\n{Table.Render(["TAG"], registration.Tags.Select(static t => (IReadOnlyList<string>)[t]))}"
                + "DingTalk encrypts these callbacks with the enterprise's CorpId as owner key: the host's DingGen:OwnerKey must be the CorpId.\n"
                + (checkedUrl ? "Pre-flight check_url: the host accepted it.\n" : "Pre-flight check_url skipped: pass --corp-id (or DINGGEN_CORP_ID) to have the host checked before DingTalk is asked.\n"));
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen callback get</c>: prints the registered URL and tags (never the keys).</summary>
internal sealed class CallbackGetCommand : CallbackCommand
{
    public static readonly CallbackGetCommand Instance = new();

    public override string Name => "callback get";

    public override IReadOnlyList<OptionSpec> Options => CommonOptions;

    public override string Usage => $"""
        Usage: dinggen callback get [--app-key A] [--app-secret S] [--base-url U] [--json]

        Prints the app's callback registration (get_call_back): the URL and the event tags. The registered Token and
        AesKey are never printed. Exit code 0 also when nothing is registered ("registered": false with --json).

        Options:
        {CredentialsHelp}
        """;

    protected override async Task<int> RunAsync(DingTalkClient client, ParsedArguments args, CliIO io, bool json)
    {
        var registration = await client.GetCallbackAsync(io.CancellationToken).ConfigureAwait(false);
        if (json)
        {
            WriteJson(io, new CallbackOutput(registration is not null, registration?.Url, registration?.Tags ?? []), JsonContext.CallbackOutput);
        }
        else if (registration is null)
        {
            io.WriteText("No callback is registered for this app.\n");
        }
        else
        {
            io.WriteText($"URL: {registration.Url}\n{Table.Render(["TAG"], registration.Tags.Select(static t => (IReadOnlyList<string>)[t]))}");
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen callback delete</c>: removes the registration.</summary>
internal sealed class CallbackDeleteCommand : CallbackCommand
{
    public static readonly CallbackDeleteCommand Instance = new();

    public override string Name => "callback delete";

    public override IReadOnlyList<OptionSpec> Options => CommonOptions;

    public override string Usage => $"""
        Usage: dinggen callback delete [--app-key A] [--app-secret S] [--base-url U] [--json]

        Deletes the app's callback registration (delete_call_back): DingTalk stops pushing events to the URL.

        Options:
        {CredentialsHelp}
        """;

    protected override async Task<int> RunAsync(DingTalkClient client, ParsedArguments args, CliIO io, bool json)
    {
        await client.DeleteCallbackAsync(io.CancellationToken).ConfigureAwait(false);
        if (json)
        {
            WriteJson(io, new CallbackActionOutput("deleted", null, []), JsonContext.CallbackActionOutput);
        }
        else
        {
            io.WriteText("Callback deleted.\n");
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen callback failed</c>: lists the failed deliveries and the push payload each maps to.</summary>
internal sealed class CallbackFailedCommand : CallbackCommand
{
    public static readonly CallbackFailedCommand Instance = new();

    private const int MaxPages = 50;

    public override string Name => "callback failed";

    public override IReadOnlyList<OptionSpec> Options => CommonOptions;

    public override string Usage => $"""
        Usage: dinggen callback failed [--app-key A] [--app-secret S] [--base-url U] [--json]

        Lists the events DingTalk could not deliver (get_call_back_failed_result, every page): tag, event time, corp id and
        the shape of the entry. With --json each entry is printed raw together with the push payload the recovery would
        dispatch. DingTalk does not say whether listing consumes the entries: keep the --json output, and recovery with
        the host (DingFailedEventRecovery) rather than only listing.

        Options:
        {CredentialsHelp}
        """;

    /// <summary>The warning printed on standard error before the list is read.</summary>
    public const string ConsumeWarning = "warning: DingTalk does not say whether reading the failed list consumes it: entries listed here may not be listed again. Keep this output (--json has every entry in full), or recover them with the host's DingFailedEventRecovery instead, which stores each entry before handling it.";

    protected override async Task<int> RunAsync(DingTalkClient client, ParsedArguments args, CliIO io, bool json)
    {
        io.Stderr.WriteLine(ConsumeWarning);
        io.Stderr.Flush();
        var entries = new List<FailedEntryOutput>();
        var seen = new HashSet<DingRecoveryKey>();
        var pages = 0;
        while (pages < MaxPages)
        {
            var page = await client.GetFailedEventsAsync(io.CancellationToken).ConfigureAwait(false);
            pages++;
            var fresh = 0;
            foreach (var failed in page.Events)
            {
                if (seen.Add(DingRecoveryKey.For(failed)))
                {
                    fresh++;
                    entries.Add(Describe(failed));
                }
            }

            if (!page.HasMore || fresh == 0)
            {
                break;
            }
        }

        if (json)
        {
            WriteJson(io, new FailedOutput(pages, entries), JsonContext.FailedOutput);
        }
        else if (entries.Count == 0)
        {
            io.WriteText("No failed deliveries.\n");
        }
        else
        {
            io.WriteText(Table.Render(
                ["TAG", "EVENT TIME", "CORP ID", "SHAPE"],
                entries.Select(static e => (IReadOnlyList<string>)[e.Tag, Table.Time(e.EventTime), e.CorpId ?? "-", e.Error is null ? e.Shape : "invalid: " + e.Error])));
            io.WriteText($"{entries.Count} failed deliver{(entries.Count == 1 ? "y" : "ies")}.\n");
        }

        return ExitCodes.Success;
    }

    private static FailedEntryOutput Describe(DingFailedEvent failed)
    {
        using var raw = JsonDocument.Parse(failed.RawJson);
        if (DingFailedEventAdapter.TryAdapt(failed, out var adapted, out var error))
        {
            using var payload = JsonDocument.Parse(adapted.Payload);
            return new FailedEntryOutput(failed.Tag, failed.EventTime, failed.CorpId, adapted.Shape.ToString(), null, raw.RootElement.Clone(), payload.RootElement.Clone());
        }

        return new FailedEntryOutput(failed.Tag, failed.EventTime, failed.CorpId, "Invalid", error, raw.RootElement.Clone(), null);
    }
}
