using DingGen.Cli.Commands;

namespace DingGen.Cli;

/// <summary>
/// The <c>dinggen</c> command line: <c>decrypt</c>, <c>encrypt</c> and <c>keygen</c>. Everything runs against the
/// streams and clock passed in, so tests drive it in-process.
/// </summary>
internal static class CliApp
{
    private static readonly Command[] Commands = [DecryptCommand.Instance, EncryptCommand.Instance, KeygenCommand.Instance];

    /// <summary>The text <c>dinggen --help</c> prints.</summary>
    public const string Usage = """
        dinggen: decrypt, encrypt and sign DingTalk (钉钉) callbacks by hand, and generate callback keys.

        Usage:
          dinggen decrypt --token T --aes-key K --app-key A --timestamp TS --nonce N --signature S --encrypt E
          dinggen encrypt --token T --aes-key K --app-key A [--timestamp TS] [--nonce N] [--plaintext P]
          dinggen keygen
          dinggen <command> --help

        Commands:
          decrypt   verify a callback's signature and print its plaintext
          encrypt   encrypt and sign a message as reply JSON (plaintext from stdin unless --plaintext)
          keygen    print a new random Token and AesKey

        Exit codes: 0 success; 2 a crypto failure ('error 900xxx: …') or a usage error ('error usage: …');
        1 standard input or output failed ('error io: …').

        """;

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdin">Raw standard input (read by <c>encrypt</c> without <c>--plaintext</c>).</param>
    /// <param name="stdout">Raw standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="time">The clock for default timestamps.</param>
    /// <returns>The process exit code (see <see cref="ExitCodes"/>).</returns>
    internal static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CliIO(stdin, stdout, stderr, time);

        if (args.Length == 0)
        {
            return io.UsageError("no command given; expected decrypt, encrypt or keygen (see 'dinggen --help')");
        }

        if (ArgumentParser.IsHelp(args[0]))
        {
            io.WriteText(Usage);
            return ExitCodes.Success;
        }

        var command = Find(args[0]);
        if (command is null)
        {
            var what = args[0].StartsWith('-') ? "option" : "command";
            return io.UsageError($"unknown {what} {ArgumentParser.Describe(args[0], 0)}; expected decrypt, encrypt or keygen (see 'dinggen --help')");
        }

        var parsed = ArgumentParser.Parse(args, 1, command.Options);
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
            return command.Execute(parsed, io);
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
    }

    private static Command? Find(string name)
    {
        foreach (var command in Commands)
        {
            if (string.Equals(command.Name, name, StringComparison.Ordinal))
            {
                return command;
            }
        }

        return null;
    }
}
