using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace DingGen.Cli.Tests;

/// <summary>
/// Runs the built tool as a real process (<c>dotnet DingGen.Cli.dll</c>, copied next to this assembly by the project
/// reference), checking what scripts rely on: raw stdout bytes, stdin, exit codes. Each run is killed after 30 s.
/// </summary>
public sealed class ProcessTests
{
    private const string Token = "Tk7vQ2mR9x";
    private const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
    private const string AppKey = "dingzq4bkl7mxn0ofa2c";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Decrypt_writes_the_raw_plaintext_bytes_and_exits_0()
    {
        var v = CryptoVectors.PositiveById("s-pos-029"); // CJK and a 4-byte emoji: any re-encoding would show

        var result = await RunAsync([], CliVectors.DecryptArgs(v));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([.. Encoding.UTF8.GetBytes(v.Text("plaintext")), (byte)'\n'], result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Decrypt_failure_exits_2_with_one_error_line_and_no_stdout()
    {
        var v = CryptoVectors.NegativeById("s-neg-007"); // wrong owner key

        var result = await RunAsync([], CliVectors.DecryptArgs(v));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("error 900010: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypt_from_stdin_then_decrypt_round_trips_the_bytes()
    {
        byte[] message = [.. "{\"EventType\":\"check_url\",\"名\":\"钉钉 👍\"}\n"u8, 0x00, 0xFF];

        var encrypted = await RunAsync(message, "encrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey);
        Assert.Equal(0, encrypted.ExitCode);
        Assert.Equal(string.Empty, encrypted.Stderr);
        using var json = JsonDocument.Parse(encrypted.Stdout);
        var root = json.RootElement;

        var decrypted = await RunAsync(
            [],
            "decrypt", "--token", Token, "--aes-key", AesKey, "--app-key", AppKey,
            "--timestamp", root.GetProperty("timeStamp").GetString()!,
            "--nonce", root.GetProperty("nonce").GetString()!,
            "--signature", root.GetProperty("msg_signature").GetString()!,
            "--encrypt", root.GetProperty("encrypt").GetString()!);

        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal([.. message, (byte)'\n'], decrypted.Stdout);
    }

    [Fact]
    public async Task Unknown_option_exits_2_with_one_usage_line()
    {
        var result = await RunAsync([], "keygen", "--bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal("error usage: keygen: unknown option '--bogus'", Assert.Single(result.StderrLines));
    }

    private static async Task<CliResult> RunAsync(byte[] stdin, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DingGen.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; the project reference should copy it");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            using var stdout = new MemoryStream();
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
            var readErr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
            process.StandardInput.Close();

            await process.WaitForExitAsync(timeout.Token);
            await copyOut;
            var stderr = await readErr;
            return new CliResult(process.ExitCode, stdout.ToArray(), stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dinggen {string.Join(' ', args.Take(1))} did not finish within {Timeout.TotalSeconds} s");
        }
    }
}
