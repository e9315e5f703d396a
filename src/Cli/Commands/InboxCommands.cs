using System.Globalization;
using System.Text;
using System.Text.Json;
using DingGen.Inbox.Sqlite;

namespace DingGen.Cli.Commands;

/// <summary>
/// What the <c>dinggen inbox …</c> commands share: opening the store named by <c>--db</c> (SQLite) or <c>--postgres</c> /
/// <c>DINGGEN_POSTGRES</c> (PostgreSQL, <see cref="InboxStoreOpener"/>), and printing entries.
/// </summary>
internal abstract class InboxCommand : Command
{
    protected static readonly OptionSpec Db = new("--db", Required: false);

    protected static readonly OptionSpec Postgres = InboxStoreOpener.Postgres;

    protected static readonly OptionSpec Schema = InboxStoreOpener.Schema;

    public sealed override async Task<int> ExecuteAsync(ParsedArguments args, CliIO io)
    {
        var opened = await InboxStoreOpener.OpenAsync(args, io).ConfigureAwait(false);
        if (opened.Error is { } error)
        {
            return io.Error("inbox", error);
        }

        try
        {
            var handle = opened.Handle!;
            await using (handle.ConfigureAwait(false))
            {
                return handle switch
                {
                    SqliteDingInbox sqlite => await ExecuteAsync(args, io, sqlite).ConfigureAwait(false),
                    _ => await ExecuteAsync(args, io, (DingGen.Inbox.PostgreSql.PostgreSqlDingInbox)handle).ConfigureAwait(false),
                };
            }
        }
        catch (Exception e) when (InboxStoreOpener.Describe(e) is { } message)
        {
            return io.Error("inbox", message);
        }
    }

    protected abstract Task<int> ExecuteAsync<TStore>(ParsedArguments args, CliIO io, TStore inbox)
        where TStore : IDingInbox, IDingInboxAdmin;

    protected static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    protected static string StateName(DingInboxState state) => state switch
    {
        DingInboxState.Pending => "pending",
        DingInboxState.Done => "done",
        DingInboxState.Dead => "dead",
        _ => "failed",
    };

    /// <summary>The state as the CLI shows it: pending entries that failed at least once are <c>failed</c>.</summary>
    protected static string DisplayState(DingInboxRecord record) =>
        record.State == DingInboxState.Pending && record.LastError is not null ? "failed" : StateName(record.State);

    protected static string ChannelName(DingDeliveryChannel channel) => channel switch
    {
        DingDeliveryChannel.HttpPush => "http_push",
        DingDeliveryChannel.Stream => "stream",
        _ => "recovery",
    };

    protected static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Writes one entry as a JSON object (never the envelope's ciphertext: it is of no use to a reader).</summary>
    protected static void WriteJson(Utf8JsonWriter writer, DingInboxRecord record)
    {
        var entry = record.Entry;
        writer.WriteStartObject();
        writer.WriteNumber("id", record.Id);
        writer.WriteString("state", DisplayState(record));
        writer.WriteString("app", entry.AppName);
        writer.WriteString("channel", ChannelName(entry.Channel));
        writer.WriteString("eventType", entry.EventType);
        writer.WriteString("eventId", entry.EventId);
        writer.WriteString("dedupKey", entry.DedupKey);
        WriteNullable(writer, "corpId", entry.CorpId);
        writer.WriteString("receivedAt", Time(entry.ReceivedAt));
        writer.WriteNumber("attempts", record.Attempts);
        WriteNullable(writer, "nextAttemptAt", record.NextAttemptAt is null ? null : Time(record.NextAttemptAt));
        WriteNullable(writer, "leasedUntil", record.LeasedUntil is null ? null : Time(record.LeasedUntil));
        WriteNullable(writer, "completedAt", record.CompletedAt is null ? null : Time(record.CompletedAt));
        WriteNullable(writer, "lastError", record.LastError);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    protected static void WriteJsonLine(CliIO io, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        io.Stdout.Write(buffer.WrittenSpan);
        io.Stdout.WriteByte((byte)'\n');
        io.Stdout.Flush();
    }
}

/// <summary><c>dinggen inbox list</c>: the newest entries as a table, or JSON.</summary>
internal sealed class InboxListCommand : InboxCommand
{
    public static readonly InboxListCommand Instance = new();

    private static readonly OptionSpec[] Specs = [Db, Postgres, Schema, new("--state", Required: false), new("--limit", Required: false), new("--json", Required: false, IsFlag: true)];

    public override string Name => "inbox list";

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen inbox list (--db PATH | --postgres CS) [--state pending|failed|dead|done] [--limit N] [--json]

        Lists the newest entries of a DingGen inbox database (default 50): id, state, attempts, event type,
        event id, app, when received, the next attempt (or completion) and the last error. 'failed' means
        pending after at least one failed attempt. Payloads are never printed (see 'dinggen inbox show').

        Options:
          --db PATH        the inbox database file (DingGen:Inbox:Path)
          --postgres CS    the PostgreSQL inbox instead (DingGen:Inbox:ConnectionString; or env DINGGEN_POSTGRES)
          --schema NAME    its schema (DingGen:Inbox:Schema, default dinggen)
          --state S        only entries in state S: pending, failed, dead or done
          --limit N        at most N entries (default 50)
          --json           print a JSON array instead of a table
          -h, --help       show this help

        """;

    protected override async Task<int> ExecuteAsync<TStore>(ParsedArguments args, CliIO io, TStore inbox)
    {
        DingInboxState? state = args.Optional("--state") switch
        {
            null => null,
            "pending" => DingInboxState.Pending,
            "failed" => DingInboxState.Failed,
            "dead" => DingInboxState.Dead,
            "done" => DingInboxState.Done,
            _ => (DingInboxState)(-1),
        };
        if (state == (DingInboxState)(-1))
        {
            return io.UsageError("inbox list: --state must be pending, failed, dead or done");
        }

        var limit = 50;
        if (args.Optional("--limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return io.UsageError("inbox list: --limit must be a positive whole number");
        }

        var records = await inbox.ListAsync(state, limit, io.CancellationToken).ConfigureAwait(false);
        if (args.Flag("--json"))
        {
            WriteJsonLine(io, writer =>
            {
                writer.WriteStartArray();
                foreach (var record in records)
                {
                    WriteJson(writer, record);
                }

                writer.WriteEndArray();
            });
            return ExitCodes.Success;
        }

        var rows = new List<string[]> { new[] { "ID", "STATE", "ATTEMPTS", "EVENT TYPE", "EVENT ID", "APP", "RECEIVED", "NEXT/COMPLETED", "LAST ERROR" } };
        foreach (var record in records)
        {
            var error = record.LastError ?? "-";
            if (error.Length > 60)
            {
                error = error[..57] + "...";
            }

            rows.Add(
            [
                record.Id.ToString(CultureInfo.InvariantCulture),
                DisplayState(record),
                record.Attempts.ToString(CultureInfo.InvariantCulture),
                record.Entry.EventType,
                record.Entry.EventId,
                record.Entry.AppName.Length == 0 ? "(default)" : record.Entry.AppName,
                Time(record.Entry.ReceivedAt),
                Time(record.State == DingInboxState.Pending ? record.NextAttemptAt : record.CompletedAt),
                error.ReplaceLineEndings(" "),
            ]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        if (records.Count == 0)
        {
            text.Append("(no entries)\n");
        }

        io.WriteText(text.ToString());
        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen inbox show &lt;id&gt;</c>: one entry, and its decrypted payload when the app's keys are given.</summary>
internal sealed class InboxShowCommand : InboxCommand
{
    public static readonly InboxShowCommand Instance = new();

    /// <summary>The warning printed on standard error before a decrypted payload.</summary>
    public const string PersonalDataWarning = "warning: printing the decrypted payload; it contains personal data (names, user ids, approval contents): keep it out of tickets, chats and logs.";

    private static readonly OptionSpec[] Specs =
    [
        Db, Postgres, Schema, new("--token", Required: false), new("--aes-key", Required: false), new("--app-key", Required: false), new("--json", Required: false, IsFlag: true),
    ];

    public override string Name => "inbox show";

    public override IReadOnlyList<string> Positionals => ["<id>"];

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen inbox show <id> (--db PATH | --postgres CS) [--token T --aes-key K --app-key A] [--json]

        Prints one inbox entry: state, attempts, event type and id, dedup key, timestamps, last error.
        Given the app's keys (options, or the environment variables DINGGEN_TOKEN, DINGGEN_AES_KEY and
        DINGGEN_APP_KEY), it also verifies and decrypts the stored envelope and prints the payload, after a
        warning on standard error: the payload contains personal data.

        Options:
          --db PATH        the inbox database file (DingGen:Inbox:Path)
          --postgres CS    the PostgreSQL inbox instead (DingGen:Inbox:ConnectionString; or env DINGGEN_POSTGRES)
          --schema NAME    its schema (DingGen:Inbox:Schema, default dinggen)
          --token T        the app's callback Token
          --aes-key K      the app's callback AesKey
          --app-key A      the owner key (AppKey, CorpId or SuiteKey) the app is configured with
          --json           print JSON (with a "payload" member when decrypted)
          -h, --help       show this help

        """;

    protected override async Task<int> ExecuteAsync<TStore>(ParsedArguments args, CliIO io, TStore inbox)
    {
        if (!TryParseId(args.Positional(0), out var id))
        {
            return io.UsageError("inbox show: <id> must be a positive whole number");
        }

        var token = args.Optional("--token") ?? io.Environment("DINGGEN_TOKEN");
        var aesKey = args.Optional("--aes-key") ?? io.Environment("DINGGEN_AES_KEY");
        var appKey = args.Optional("--app-key") ?? io.Environment("DINGGEN_APP_KEY");
        var given = (string.IsNullOrEmpty(token) ? 0 : 1) + (string.IsNullOrEmpty(aesKey) ? 0 : 1) + (string.IsNullOrEmpty(appKey) ? 0 : 1);
        if (given is 1 or 2)
        {
            return io.UsageError("inbox show: decrypting needs all three of --token, --aes-key and --app-key (or DINGGEN_TOKEN, DINGGEN_AES_KEY, DINGGEN_APP_KEY)");
        }

        var record = await inbox.GetAsync(id, io.CancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return io.Error("inbox", $"no entry {id.ToString(CultureInfo.InvariantCulture)}");
        }

        byte[]? payload = null;
        if (given == 3)
        {
            var crypto = new DingCallbackCrypto(token!, aesKey!, appKey!);
            var envelope = record.Entry.Envelope;
            var code = crypto.Open(envelope, out payload);
            if (code != DingCryptoErrorCode.None)
            {
                return io.CryptoError(code);
            }

            io.Stderr.WriteLine(PersonalDataWarning);
            io.Stderr.Flush();
        }

        if (args.Flag("--json"))
        {
            WriteJsonLine(io, writer =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName("entry");
                WriteJson(writer, record);
                if (payload is not null)
                {
                    writer.WritePropertyName("payload");
                    try
                    {
                        using var document = JsonDocument.Parse(payload);
                        document.WriteTo(writer);
                    }
                    catch (JsonException)
                    {
                        writer.WriteStringValue(Encoding.UTF8.GetString(payload));
                    }
                }

                writer.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        var entry = record.Entry;
        var text = new StringBuilder()
            .Append("id:              ").Append(record.Id.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("state:           ").Append(DisplayState(record)).Append('\n')
            .Append("app:             ").Append(entry.AppName.Length == 0 ? "(default)" : entry.AppName).Append('\n')
            .Append("channel:         ").Append(ChannelName(entry.Channel)).Append('\n')
            .Append("event type:      ").Append(entry.EventType).Append('\n')
            .Append("event id:        ").Append(entry.EventId).Append('\n')
            .Append("dedup key:       ").Append(entry.DedupKey).Append('\n')
            .Append("corp id:         ").Append(entry.CorpId ?? "-").Append('\n')
            .Append("received at:     ").Append(Time(entry.ReceivedAt)).Append('\n')
            .Append("attempts:        ").Append(record.Attempts.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("next attempt at: ").Append(Time(record.NextAttemptAt)).Append('\n')
            .Append("leased until:    ").Append(Time(record.LeasedUntil)).Append('\n')
            .Append("completed at:    ").Append(Time(record.CompletedAt)).Append('\n')
            .Append("last error:      ").Append(record.LastError ?? "-").Append('\n');
        if (payload is null)
        {
            text.Append("payload:         (sealed; pass --token, --aes-key and --app-key to decrypt)\n");
            io.WriteText(text.ToString());
        }
        else
        {
            text.Append("payload:\n");
            io.WriteText(text.ToString());
            io.Stdout.Write(payload);
            io.Stdout.WriteByte((byte)'\n');
            io.Stdout.Flush();
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen inbox retry &lt;id&gt;|--all-dead</c>: makes entries due again with a fresh attempt count.</summary>
internal sealed class InboxRetryCommand : InboxCommand
{
    public static readonly InboxRetryCommand Instance = new();

    private static readonly OptionSpec[] Specs = [Db, Postgres, Schema, new("--all-dead", Required: false, IsFlag: true)];

    public override string Name => "inbox retry";

    public override IReadOnlyList<string> Positionals => ["[<id>]"];

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen inbox retry <id> (--db PATH | --postgres CS)
               dinggen inbox retry --all-dead --db PATH

        Makes a dead (or failed) entry, or every dead entry, due now with a fresh attempt count; the running
        host's worker dispatches it within its poll interval. Done entries are not retried.

        Options:
          --db PATH        the inbox database file (DingGen:Inbox:Path)
          --postgres CS    the PostgreSQL inbox instead (DingGen:Inbox:ConnectionString; or env DINGGEN_POSTGRES)
          --schema NAME    its schema (DingGen:Inbox:Schema, default dinggen)
          --all-dead       retry every dead entry
          -h, --help       show this help

        """;

    protected override async Task<int> ExecuteAsync<TStore>(ParsedArguments args, CliIO io, TStore inbox)
    {
        var idText = args.OptionalPositional(0);
        var allDead = args.Flag("--all-dead");
        if ((idText is null) == !allDead)
        {
            return io.UsageError("inbox retry: give either an entry <id> or --all-dead");
        }

        var now = io.Time.GetUtcNow();
        if (allDead)
        {
            var count = await inbox.RetryAllDeadAsync(now, io.CancellationToken).ConfigureAwait(false);
            io.WriteText($"re-queued {count.ToString(CultureInfo.InvariantCulture)} dead entries\n");
            return ExitCodes.Success;
        }

        if (!TryParseId(idText!, out var id))
        {
            return io.UsageError("inbox retry: <id> must be a positive whole number");
        }

        if (!await inbox.RetryAsync(id, now, io.CancellationToken).ConfigureAwait(false))
        {
            return io.Error("inbox", $"no entry {id.ToString(CultureInfo.InvariantCulture)} to retry (it does not exist or is done)");
        }

        io.WriteText($"re-queued entry {id.ToString(CultureInfo.InvariantCulture)}\n");
        return ExitCodes.Success;
    }
}

/// <summary><c>dinggen inbox purge --done-older-than 7d | --dead</c>: deletes entries.</summary>
internal sealed class InboxPurgeCommand : InboxCommand
{
    public static readonly InboxPurgeCommand Instance = new();

    private static readonly OptionSpec[] Specs = [Db, Postgres, Schema, new("--done-older-than", Required: false), new("--dead", Required: false, IsFlag: true)];

    public override string Name => "inbox purge";

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen inbox purge (--db PATH | --postgres CS) [--done-older-than AGE] [--dead]

        Deletes done entries completed more than AGE ago (e.g. 7d, 12h, 30m, 90s), and/or every dead entry.
        A deleted entry's dedup key goes with it: a later redelivery of that event is stored again. The host
        already deletes done entries after DingGen:Inbox:DoneRetention (7 days by default).

        Options:
          --db PATH              the inbox database file (DingGen:Inbox:Path)
          --postgres CS          the PostgreSQL inbox instead (DingGen:Inbox:ConnectionString; or env DINGGEN_POSTGRES)
          --schema NAME          its schema (DingGen:Inbox:Schema, default dinggen)
          --done-older-than AGE  delete done entries completed before now - AGE
          --dead                 delete every dead entry
          -h, --help             show this help

        """;

    protected override async Task<int> ExecuteAsync<TStore>(ParsedArguments args, CliIO io, TStore inbox)
    {
        var ageText = args.Optional("--done-older-than");
        var dead = args.Flag("--dead");
        if (ageText is null && !dead)
        {
            return io.UsageError("inbox purge: give --done-older-than AGE, --dead, or both");
        }

        TimeSpan age = default;
        if (ageText is not null && !TryParseAge(ageText, out age))
        {
            return io.UsageError("inbox purge: --done-older-than must be a number followed by d, h, m or s (e.g. 7d)");
        }

        var text = new StringBuilder();
        if (ageText is not null)
        {
            var before = io.Time.GetUtcNow() - age;
            var count = await inbox.PurgeDoneAsync(before, io.CancellationToken).ConfigureAwait(false);
            text.Append(CultureInfo.InvariantCulture, $"deleted {count} done entries completed before {Time(before)}\n");
        }

        if (dead)
        {
            var count = await inbox.PurgeDeadAsync(io.CancellationToken).ConfigureAwait(false);
            text.Append(CultureInfo.InvariantCulture, $"deleted {count} dead entries\n");
        }

        io.WriteText(text.ToString());
        return ExitCodes.Success;
    }

    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        switch (text[^1])
        {
            case 'd':
                age = TimeSpan.FromDays(value);
                return true;
            case 'h':
                age = TimeSpan.FromHours(value);
                return true;
            case 'm':
                age = TimeSpan.FromMinutes(value);
                return true;
            case 's':
                age = TimeSpan.FromSeconds(value);
                return true;
            default:
                return false;
        }
    }
}
