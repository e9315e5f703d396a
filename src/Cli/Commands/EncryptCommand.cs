using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DingGen.Cli.Commands;

/// <summary>
/// <c>dinggen encrypt</c>: encrypts and signs a message and prints the reply JSON
/// <c>{"msg_signature","timeStamp","nonce","encrypt"}</c> plus a newline.
/// </summary>
internal sealed class EncryptCommand : Command
{
    public static readonly EncryptCommand Instance = new();

    private const int NonceLength = 8;

    private static readonly OptionSpec[] Specs =
    [
        new("--token", Required: true),
        new("--aes-key", Required: true),
        new("--app-key", Required: true),
        new("--timestamp", Required: false),
        new("--nonce", Required: false),
        new("--plaintext", Required: false),
    ];

    /// <summary>Base64 '+' and the other characters the default encoder escapes are written as they are.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override string Name => "encrypt";

    public override IReadOnlyList<OptionSpec> Options => Specs;

    public override string Usage => """
        Usage: dinggen encrypt --token T --aes-key K --app-key A [--timestamp TS] [--nonce N] [--plaintext P]

        Encrypts and signs a message the way DingTalk expects a callback reply and prints the JSON
        {"msg_signature":"…","timeStamp":"…","nonce":"…","encrypt":"…"} followed by a newline.
        Without --plaintext the message is read from standard input as raw bytes.

        Options (each takes a value, as --name value or --name=value):
          --token T        the callback Token (signature secret)
          --aes-key K      the callback AesKey (EncodingAESKey): 43 Base64 characters
          --app-key A      the owner key written inside the ciphertext (AppKey, CorpId or SuiteKey)
          --timestamp TS   the timestamp to sign (default: the current Unix time in milliseconds)
          --nonce N        the nonce to sign (default: 8 random letters and digits)
          --plaintext P    the message, encoded as UTF-8 (default: standard input)
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

        var text = args.Optional("--plaintext");
        var message = text is null ? ReadAll(io.Stdin) : Encoding.UTF8.GetBytes(text);
        var timestamp = args.Optional("--timestamp")
            ?? io.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var nonce = args.Optional("--nonce") ?? DingCallbackCrypto.CreateNonce(NonceLength);

        var reply = crypto.Seal(message, timestamp, nonce);

        using (var writer = new Utf8JsonWriter(io.Stdout, WriterOptions))
        {
            reply.WriteReplyTo(writer);
        }

        io.Stdout.WriteByte((byte)'\n');
        io.Stdout.Flush();
        return ExitCodes.Success;
    }

    private static byte[] ReadAll(Stream stdin)
    {
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }
}
