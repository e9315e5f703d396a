namespace DingGen.Cli.Commands;

/// <summary>
/// <c>dinggen decrypt</c>: verifies a callback's signature, decrypts it and writes the plaintext bytes plus one
/// <c>\n</c> to standard output, untouched by any text encoding.
/// </summary>
internal sealed class DecryptCommand : Command
{
    public static readonly DecryptCommand Instance = new();

    private static readonly OptionSpec[] Specs =
    [
        new("--token", Required: true),
        new("--aes-key", Required: true),
        new("--app-key", Required: true),
        new("--timestamp", Required: true),
        new("--nonce", Required: true),
        new("--signature", Required: true),
        new("--encrypt", Required: true),
    ];

    public override string Name => "decrypt";

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen decrypt --token T --aes-key K --app-key A --timestamp TS --nonce N --signature S --encrypt E

        Verifies the signature of a DingTalk callback and decrypts it. On success writes the plaintext bytes
        followed by one newline to standard output and exits 0. On failure writes one line
        'error <900xxx>: <message>' to standard error, nothing to standard output, and exits 2.

        Options (each takes a value, as --name value or --name=value):
          --token T        the callback Token (signature secret)
          --aes-key K      the callback AesKey (EncodingAESKey): 43 Base64 characters
          --app-key A      the owner key inside the ciphertext: the AppKey for events subscribed in the
                           developer console, the CorpId for register_call_back, the SuiteKey for ISV apps
          --timestamp TS   the request's timestamp query value, exactly as received
          --nonce N        the request's nonce query value, exactly as received
          --signature S    the request's signature / msg_signature query value (40 lowercase hex)
          --encrypt E      the 'encrypt' member of the request body
          -h, --help       show this help

        """;

    public override Task<int> ExecuteAsync(ParsedArguments args, CliIO io) => Task.FromResult(Execute(args, io));

    private static int Execute(ParsedArguments args, CliIO io)
    {
        var crypto = CreateCrypto(args, io, out var exitCode);
        if (crypto is null)
        {
            return exitCode;
        }

        var code = crypto.TryDecrypt(
            args.Required("--signature"),
            args.Required("--timestamp"),
            args.Required("--nonce"),
            args.Required("--encrypt"),
            out var plaintext);
        if (code != DingCryptoErrorCode.None)
        {
            return io.CryptoError(code);
        }

        io.Stdout.Write(plaintext);
        io.Stdout.WriteByte((byte)'\n');
        io.Stdout.Flush();
        return ExitCodes.Success;
    }
}
