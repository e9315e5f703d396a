namespace DingGen.Cli.Commands;

/// <summary>One <c>dinggen</c> sub-command: its options, its help text and what it does.</summary>
internal abstract class Command
{
    /// <summary>The word that selects the command, e.g. <c>decrypt</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The options the command accepts.</summary>
    public abstract IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>The text <c>dinggen &lt;command&gt; --help</c> prints.</summary>
    public abstract string Usage { get; }

    /// <summary>Runs the command on arguments that parsed without error.</summary>
    /// <returns>The process exit code.</returns>
    public abstract int Execute(ParsedArguments args, CliIO io);

    /// <summary>Reads the three values every crypto command needs and creates the crypto.</summary>
    /// <returns>The crypto, or null after reporting a usage error through <paramref name="exitCode"/>.</returns>
    /// <exception cref="DingCryptoException">The AesKey is not 43 Base64 characters (900004).</exception>
    protected static DingCallbackCrypto? CreateCrypto(ParsedArguments args, CliIO io, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        var token = args.Required("--token");
        var appKey = args.Required("--app-key");
        if (token.Length == 0)
        {
            exitCode = io.UsageError("option --token must not be empty");
            return null;
        }

        if (appKey.Length == 0)
        {
            exitCode = io.UsageError("option --app-key must not be empty");
            return null;
        }

        return new DingCallbackCrypto(token, args.Required("--aes-key"), appKey);
    }
}
