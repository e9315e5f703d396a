using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DingGen.Testing;

namespace DingGen.Cli.Commands;

/// <summary>
/// <c>dinggen simulate &lt;url&gt; &lt;event-type&gt;</c>: encrypts, signs and posts an event to a callback URL exactly as DingTalk
/// does, checks that the reply is the encrypted <c>success</c>, and prints each attempt. The payload is a realistic sample for
/// known tags (from DingTalk's documentation) unless <c>--payload</c> names a file.
/// </summary>
internal sealed class SimulateCommand : Command
{
    public static readonly SimulateCommand Instance = new();

    private static readonly OptionSpec[] Specs =
    [
        new("--payload", Required: false),
        new("--token", Required: false),
        new("--aes-key", Required: false),
        new("--app-key", Required: false),
        new("--owner-key", Required: false),
        new("--timeout", Required: false),
        new("--redeliver", Required: false, IsFlag: true),
        new("--json", Required: false, IsFlag: true),
    ];

    private static readonly CliJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public override string Name => "simulate";

    public override IReadOnlyList<string> Positionals => ["<url>", "<event-type>"];

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen simulate <url> <event-type> [--payload file.json] [--token T] [--aes-key K] [--app-key A] [--owner-key O]
                                [--timeout MS] [--redeliver] [--json]

        Plays DingTalk: encrypts and signs an event, posts it to <url> like DingTalk's HTTP push, and checks that the reply
        decrypts to "success" with the same keys. Without --payload a realistic sample of <event-type> is sent (known tags:
        check_url, user_add_org, user_modify_org, user_leave_org, org_dept_create, org_dept_modify, org_dept_remove,
        bpms_instance_change, bpms_task_change, chat_add_member, chat_update_title, attendance_check_record); any other
        tag sends {"EventType":"<event-type>"}. Exit code 0 when the reply is the encrypted success, 3 when it is not.

        Options (each takes a value, as --name value or --name=value, unless a flag):
          --payload F      a file with the plaintext event JSON (its EventType is sent as it is)
          --token T        the callback Token (or DINGGEN_TOKEN)
          --aes-key K      the callback AesKey, 43 characters (or DINGGEN_AES_KEY)
          --app-key A      the app's AppKey (or DINGGEN_APP_KEY); the owner key unless --owner-key
          --owner-key O    the key written inside the ciphertext: the CorpId for callbacks registered through the API
          --timeout MS     how long DingTalk waits for the reply (default 1500)
          --redeliver      on failure, redeliver like DingTalk: 10 s later, then 30 s after that (waits for real)
          --json           print JSON for scripts instead of a table
          -h, --help       show this help

        """;

    public override async Task<int> ExecuteAsync(ParsedArguments args, CliIO io)
    {
        var url = args.Positional(0);
        var eventType = args.Positional(1);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Query.Length > 0)
        {
            return io.UsageError("simulate: <url> must be an absolute http(s) URL without a query");
        }

        List<string>? missing = null;
        Credentials.TryReadRequired(args, io, "--token", Credentials.TokenVariable, out var token, ref missing);
        Credentials.TryReadRequired(args, io, "--aes-key", Credentials.AesKeyVariable, out var aesKey, ref missing);
        var ownerKey = args.Optional("--owner-key");
        if (string.IsNullOrEmpty(ownerKey))
        {
            Credentials.TryReadRequired(args, io, "--app-key", Credentials.AppKeyVariable, out var appKey, ref missing);
            ownerKey = appKey;
        }

        if (missing is not null)
        {
            return io.UsageError($"simulate: missing {string.Join(", ", missing)}");
        }

        var timeout = TimeSpan.FromMilliseconds(1500);
        if (args.Optional("--timeout") is { } timeoutText)
        {
            if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms is < 1 or > 600_000)
            {
                return io.UsageError("simulate: --timeout must be a number of milliseconds between 1 and 600000");
            }

            timeout = TimeSpan.FromMilliseconds(ms);
        }

        string payload;
        if (args.Optional("--payload") is { } file)
        {
            try
            {
                payload = await File.ReadAllTextAsync(file, io.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return io.Error("payload", $"cannot read --payload file: {e.Message}");
            }

            try
            {
                using var document = JsonDocument.Parse(payload);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return io.Error("payload", "the --payload file must hold a JSON object");
                }
            }
            catch (JsonException)
            {
                return io.Error("payload", "the --payload file is not valid JSON");
            }
        }
        else
        {
            payload = SamplePayloads.For(eventType, io.Time.GetUtcNow());
        }

        var simulator = new DingTalkSimulator(token, aesKey, ownerKey, io.Time);
        var options = new DingTalkDeliveryOptions
        {
            ResponseTimeout = timeout,
            RetryDelays = args.Flag("--redeliver") ? DingTalkDeliveryOptions.Default.RetryDelays : [],
        };

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var report = await simulator.DeliverAsync(http, uri.AbsoluteUri, payload, options, io.CancellationToken).ConfigureAwait(false);
        if (args.Flag("--json"))
        {
            var output = new SimulateOutput(uri.AbsoluteUri, eventType, ownerKey, report.Delivered, report.Attempts
                .Select(static a => new AttemptOutput(a.Number, a.At, a.StatusCode is { } s ? (int)s : null, a.IsSuccessReply, a.ErrorCode, a.Failure))
                .ToArray());
            io.Stdout.Write(JsonSerializer.SerializeToUtf8Bytes(output, Json.SimulateOutput));
            io.Stdout.WriteByte((byte)'\n');
            io.Stdout.Flush();
        }
        else
        {
            io.WriteText($"POST {uri.AbsoluteUri}  event {eventType}  owner key {ownerKey}\n");
            io.WriteText(Table.Render(
                ["ATTEMPT", "TIME", "STATUS", "REPLY"],
                report.Attempts.Select(static a => (IReadOnlyList<string>)
                [
                    a.Number.ToString(CultureInfo.InvariantCulture),
                    Table.Time(a.At),
                    a.StatusCode is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "-",
                    a.IsSuccessReply ? "encrypted success" : a.Failure ?? "failed",
                ])));
            io.WriteText(report.Delivered
                ? "Delivered: the reply decrypts to success.\n"
                : $"Not delivered after {report.Attempts.Count} attempt(s){(report.Attempts.Count > 1 ? "; DingTalk would now put the event on the failed list" : string.Empty)}.\n");
        }

        return report.Delivered ? ExitCodes.Success : ExitCodes.NotDelivered;
    }
}
