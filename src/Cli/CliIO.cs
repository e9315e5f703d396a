using System.Text;

namespace DingGen.Cli;

/// <summary>The streams and clock one run of the tool works with; tests pass in-memory ones.</summary>
/// <param name="Stdin">Raw standard input.</param>
/// <param name="Stdout">Raw standard output: command results are written as bytes, never re-encoded.</param>
/// <param name="Stderr">Standard error: one <c>error …</c> line per failure.</param>
/// <param name="Time">The clock for default timestamps.</param>
/// <param name="Environment">Reads an environment variable (credentials such as <c>DINGGEN_APP_KEY</c>); tests pass their own.</param>
/// <param name="CancellationToken">Cancelled on Ctrl+C; network commands stop at once.</param>
internal sealed record CliIO(Stream Stdin, Stream Stdout, TextWriter Stderr, TimeProvider Time, Func<string, string?> Environment, CancellationToken CancellationToken)
{
    /// <summary>Writes <paramref name="text"/> to standard output as UTF-8.</summary>
    public void WriteText(string text)
    {
        Stdout.Write(Encoding.UTF8.GetBytes(text));
        Stdout.Flush();
    }

    /// <summary>Reports a failure that is not a usage or crypto error as the single line <c>error &lt;kind&gt;: …</c>.</summary>
    /// <returns><see cref="ExitCodes.Failure"/>.</returns>
    public int Error(string kind, string message)
    {
        Stderr.WriteLine($"error {kind}: {message}");
        Stderr.Flush();
        return ExitCodes.Failure;
    }

    /// <summary>Reports a usage error as the single line <c>error usage: …</c>.</summary>
    public int UsageError(string message)
    {
        Stderr.WriteLine($"error usage: {message}");
        Stderr.Flush();
        return ExitCodes.Failure;
    }

    /// <summary>Reports a crypto failure as the single line <c>error 900xxx: …</c> (never any secret or plaintext).</summary>
    public int CryptoError(DingCryptoErrorCode code)
    {
        Stderr.WriteLine($"error {(int)code}: {DingCryptoErrors.Describe(code)}");
        Stderr.Flush();
        return ExitCodes.Failure;
    }
}
