namespace DingGen.Cli;

/// <summary>Entry point of the <c>dinggen</c> tool: hands the real standard streams and clock to <see cref="CliApp"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var io = new CliIO(stdin, stdout, Console.Error, TimeProvider.System, Environment.GetEnvironmentVariable, cancel.Token);
        return await CliApp.RunAsync(args, io).ConfigureAwait(false);
    }
}
