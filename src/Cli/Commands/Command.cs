namespace DingGen.Cli.Commands;

/// <summary>One <c>dinggen</c> sub-command: its options, its help text and what it does.</summary>
internal abstract class Command
{
    /// <summary>The words that select the command, e.g. <c>decrypt</c> or <c>callback register</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The positional arguments the command requires, in order, named as in its usage (e.g. <c>&lt;url&gt;</c>).
    /// They come before or between the options; all are required except those written <c>[&lt;name&gt;]</c>, which come last.
    /// </summary>
    public virtual IReadOnlyList<string> Positionals => [];

    /// <summary>The options the command accepts.</summary>
    public abstract IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>The text <c>dinggen &lt;command&gt; --help</c> prints.</summary>
    public abstract string Usage { get; }

    /// <summary>Runs the command on arguments that parsed without error.</summary>
    /// <returns>The process exit code.</returns>
    public abstract Task<int> ExecuteAsync(ParsedArguments args, CliIO io);

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
