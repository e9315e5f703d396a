using System.Security.Cryptography;

namespace DingGen.Cli.Commands;

/// <summary>
/// <c>dinggen keygen</c>: prints a fresh callback Token (32 letters and digits) and AesKey (43 letters and digits)
/// from a cryptographic random source, as <c>Token=…</c> and <c>AesKey=…</c> lines.
/// </summary>
internal sealed class KeygenCommand : Command
{
    public static readonly KeygenCommand Instance = new();

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int TokenLength = 32;

    public override string Name => "keygen";

    public override IReadOnlyList<OptionSpec> Options => [];

    public override string Usage => """
        Usage: dinggen keygen

        Prints a new callback Token and AesKey (EncodingAESKey) from a cryptographic random source:
          Token=<32 letters and digits>
          AesKey=<43 letters and digits>
        Paste both into the DingTalk developer console and into your receiver's configuration.

        Options:
          -h, --help       show this help

        """;

    public override Task<int> ExecuteAsync(ParsedArguments args, CliIO io) => Task.FromResult(Execute(args, io));

    private static int Execute(ParsedArguments args, CliIO io)
    {
        var token = RandomNumberGenerator.GetString(Alphanumeric, TokenLength);
        var aesKey = RandomNumberGenerator.GetString(Alphanumeric, DingCallbackCrypto.AesKeyLength);
        io.WriteText($"Token={token}\nAesKey={aesKey}\n");
        return ExitCodes.Success;
    }
}
