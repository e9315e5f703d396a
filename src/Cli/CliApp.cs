using DingGen.Cli.Commands;

namespace DingGen.Cli;

/// <summary>
/// The <c>dinggen</c> command line: <c>decrypt</c>, <c>encrypt</c>, <c>keygen</c>, <c>simulate</c> and <c>callback …</c>. Everything runs against the
/// streams and clock passed in, so tests drive it in-process.
/// </summary>
internal static class CliApp
{
    private static readonly Command[] Commands =
    [
        DecryptCommand.Instance, EncryptCommand.Instance, KeygenCommand.Instance, SimulateCommand.Instance,
        CallbackRegisterCommand.Register, CallbackRegisterCommand.Update, CallbackGetCommand.Instance, CallbackDeleteCommand.Instance, CallbackFailedCommand.Instance,
        InboxListCommand.Instance, InboxShowCommand.Instance, InboxRetryCommand.Instance, InboxPurgeCommand.Instance,
    ];

    private static readonly CommandLineParser Parser = new(Commands);

    /// <summary>The text <c>dinggen --help</c> prints.</summary>
    public const string Usage = """
        dinggen: decrypt, encrypt and sign DingTalk (钉钉) callbacks by hand, and generate callback keys.

        Usage:
          dinggen decrypt --token T --aes-key K --app-key A --timestamp TS --nonce N --signature S --encrypt E
          dinggen encrypt --token T --aes-key K --app-key A [--timestamp TS] [--nonce N] [--plaintext P]
          dinggen keygen
          dinggen simulate <url> <event-type> [--payload file.json] --token T --aes-key K --app-key A [--owner-key O] [--json]
          dinggen callback register|update --url U --tags a,b,c --app-key A --app-secret S --token T --aes-key K [--corp-id C] [--json]
          dinggen callback get|delete|failed --app-key A --app-secret S [--base-url U] [--json]
          dinggen inbox list|show|retry|purge --db PATH ...
          dinggen <command> --help

        Commands:
          decrypt   verify a callback's signature and print its plaintext
          encrypt   encrypt and sign a message as reply JSON (plaintext from stdin unless --plaintext)
          keygen    print a new random Token and AesKey
          simulate  post an encrypted, signed event to a callback URL like DingTalk and check the reply
          callback  register, update, get or delete the app's callback; list failed deliveries
                    (credentials from options or DINGGEN_APP_KEY, DINGGEN_APP_SECRET, DINGGEN_TOKEN,
                    DINGGEN_AES_KEY, DINGGEN_CORP_ID, DINGGEN_BASE_URL, DINGGEN_TIMEOUT; an option wins;
                    with --corp-id, register|update first check the host with DingTalk's check_url)
          inbox     list, show (decrypt), retry and purge the entries of a durable inbox database

        Exit codes: 0 success; 2 a crypto failure ('error 900xxx: …'), a usage error ('error usage: …'), a DingTalk
        error ('error <errcode>: <errmsg> — <hint>'), a refused pre-flight check ('error check_url: …'), a network failure
        ('error network: …') or no answer within 30 s ('error timeout: …'); 3 simulate's reply
        was not the encrypted success; 1 standard input or output failed ('error io: …').

        """;

    /// <summary>Runs one command line synchronously with the process environment (see <see cref="RunAsync"/>).</summary>
    internal static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr, TimeProvider time) =>
        RunAsync(args, new CliIO(stdin, stdout, stderr, time, System.Environment.GetEnvironmentVariable, CancellationToken.None)).GetAwaiter().GetResult();

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="io">Standard streams, clock, environment and cancellation.</param>
    /// <returns>The process exit code (see <see cref="ExitCodes"/>).</returns>
    internal static async Task<int> RunAsync(string[] args, CliIO io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var stderr = io.Stderr;

        if (args.Length == 0)
        {
            return io.UsageError($"no command given; expected {string.Join(", ", Commands.Select(static c => c.Name.Split(' ')[0]).Distinct())} (see 'dinggen --help')");
        }

        if (CommandLineParser.IsHelp(args[0]))
        {
            io.WriteText(Usage);
            return ExitCodes.Success;
        }

        var command = Parser.Find(args, out var result);
        if (command is null)
        {
            if (GroupHelp(args) is { } groupUsage)
            {
                io.WriteText(groupUsage);
                return ExitCodes.Success;
            }

            return io.UsageError(DescribeUnknown(args));
        }

        var parsed = Parser.Check(args, command, result);
        if (parsed.HelpRequested)
        {
            io.WriteText(command.Usage);
            return ExitCodes.Success;
        }

        if (parsed.Error is not null)
        {
            return io.UsageError($"{command.Name}: {parsed.Error}");
        }

        try
        {
            return await command.ExecuteAsync(parsed, io).ConfigureAwait(false);
        }
        catch (DingCryptoException e)
        {
            return io.CryptoError(e.Code);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error io: {e.Message}");
            return ExitCodes.IOFailure;
        }
        catch (OperationCanceledException) when (io.CancellationToken.IsCancellationRequested)
        {
            return io.Error("cancelled", "stopped by Ctrl+C");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else went wrong, a user sees one line, never a stack trace.
            return io.Error("unexpected", $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The help of a command group (<c>dinggen callback --help</c>): its subcommands and their usage lines; null when not asked.</summary>
    private static string? GroupHelp(string[] args)
    {
        if (args.Length < 2 || !args.Skip(1).Any(CommandLineParser.IsHelp))
        {
            return null;
        }

        var members = Commands.Where(c => c.Name.StartsWith(args[0] + " ", StringComparison.Ordinal)).ToArray();
        if (members.Length == 0)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        text.Append($"Usage: dinggen {args[0]} <{string.Join("|", members.Select(static c => c.Name.Split(' ')[1]))}> [options]\n\nCommands:\n");
        foreach (var member in members)
        {
            var first = member.Usage.Split('\n', 2)[0].Trim();
            text.Append("  ").Append(first.StartsWith("Usage: ", StringComparison.Ordinal) ? first["Usage: ".Length..] : first).Append('\n');
        }

        text.Append($"\nRun 'dinggen {args[0]} <command> --help' for a command's options.\n");
        return text.ToString();
    }

    private static string DescribeUnknown(string[] args)
    {
        var groups = Commands.Where(static c => c.Name.Contains(' ', StringComparison.Ordinal)).Select(static c => c.Name.Split(' ')[0]).Distinct().ToArray();
        if (Array.IndexOf(groups, args[0]) >= 0)
        {
            var subcommands = string.Join(", ", Commands.Where(c => c.Name.StartsWith(args[0] + " ", StringComparison.Ordinal)).Select(static c => c.Name.Split(' ')[1]));
            return args.Length == 1
                ? $"'{args[0]}' needs a subcommand: {subcommands} (see 'dinggen --help')"
                : $"unknown {args[0]} subcommand {CommandLineParser.Describe(args[1], 1)}; expected {subcommands} (see 'dinggen --help')";
        }

        var what = args[0].StartsWith('-') ? "option" : "command";
        var names = string.Join(", ", Commands.Select(static c => c.Name.Split(' ')[0]).Distinct());
        return $"unknown {what} {CommandLineParser.Describe(args[0], 0)}; expected {names} (see 'dinggen --help')";
    }
}
