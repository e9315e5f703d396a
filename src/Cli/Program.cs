namespace DingGen.Cli;

/// <summary>Entry point of the <c>dinggen</c> tool: hands the real standard streams and clock to <see cref="CliApp"/>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        return CliApp.Run(args, stdin, stdout, Console.Error, TimeProvider.System);
    }
}
