using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace DingGen.Benchmarks;

/// <summary>
/// A clock that reads the CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>) instead of wall time.
/// </summary>
/// <remarks>
/// Our benchmark machines are shared two-core boxes that other builds keep busy (load averages of 15–25 were seen);
/// wall-clock iterations then measure the scheduler more than the code. The CPU time the benchmark thread itself
/// consumed is not inflated by time spent preempted, so ratios measured minutes apart stay comparable. Cache and
/// memory-bandwidth contention still show. Only valid for work that runs on the benchmark thread: every dispatch
/// benchmark completes synchronously, and the generator driver runs on the caller's thread.
/// </remarks>
internal sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static readonly ThreadCpuClock Instance = new();

    public string Title => "Thread CPU time (CLOCK_THREAD_CPUTIME_ID)";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>
/// The job of the committed numbers: a short run (10 warmup, 10 measured iterations of ~100 ms CPU each; the generator
/// suite lowers this for its long operations), in process,
/// timed with <see cref="ThreadCpuClock"/>. Select it with <c>--cpu-time</c> (see <see cref="Program"/>).
/// </summary>
internal static class CpuTimeConfig
{
    public static IConfig Apply(IConfig config) => ManualConfig.Create(config)
        .AddJob(Job.Default
            .WithId("ShortRun-CpuTime")
            .WithWarmupCount(10)
            .WithIterationCount(10)
            .WithLaunchCount(1)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithClock(ThreadCpuClock.Instance));
}
