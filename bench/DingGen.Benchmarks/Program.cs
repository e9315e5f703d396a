using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace DingGen.Benchmarks;

/// <summary>
/// Runs the suites: <c>dotnet run -c Release --project bench/DingGen.Benchmarks -- --filter '*'</c>.
/// Add <c>--cpu-time</c> to time with the benchmark thread's CPU time, in process (see <see cref="CpuTimeConfig"/>),
/// when the machine is shared. <c>--generator-incremental [handlers] [rounds]</c> runs the quick paired measurement of the
/// generator's incremental cost instead (see <see cref="Generator.GeneratorIncrementalCost"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--generator-incremental")
        {
            Generator.GeneratorIncrementalCost.Run(args[1..]);
            return;
        }

        // The generated benchmark project rebuilds the whole graph (generator, analyzers, modules) without the compiler
        // server; on a 2-core machine that takes longer than BenchmarkDotNet's default two minutes.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
        if (args.Contains("--cpu-time"))
        {
            config = CpuTimeConfig.Apply(config);
            args = args.Where(static a => a != "--cpu-time").ToArray();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
