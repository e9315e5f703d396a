using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace DingGen.Benchmarks;

/// <summary>Runs the suites: <c>dotnet run -c Release --project bench/DingGen.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // The generated benchmark project rebuilds the whole graph (generator, analyzers, modules) without the compiler
        // server; on a 2-core machine that takes longer than BenchmarkDotNet's default two minutes.
        var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
