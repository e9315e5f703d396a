using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StreamWorker.Simulation;

/// <summary>The worker as a child process: standard output collected line by line (one line per handled event), standard error kept for failures.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = new();
    private readonly List<string> _errors = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; private set; }

    /// <summary>Lines written to standard output so far.</summary>
    public int LineCount
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Standard error so far (the worker's logs).</summary>
    public string Errors
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _errors);
            }
        }
    }

    public static WorkerProcess Start(string worker, IReadOnlyDictionary<string, string> environment)
    {
        var info = worker.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { worker } }
            : new ProcessStartInfo(worker);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(worker))!;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var started = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => started.Add(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => started.Add(e.Data, error: true);
        started.StartedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits for a standard-output line after line <paramref name="from"/> that starts with <paramref name="prefix"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(int from, string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = from; i < _lines.Count; i++)
                {
                    if (_lines[i].StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return _lines[i];
                    }
                }

                if (_process.HasExited)
                {
                    throw new TimeoutException($"the worker exited (code {_process.ExitCode}) before printing '{prefix}…'");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(500), cancel.Token);
            }
            catch (TimeoutException)
            {
                // Re-check whether the process has exited.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the worker printed no line starting '{prefix}' within {timeout.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>Lines printed after line <paramref name="from"/>.</summary>
    public IReadOnlyList<string> LinesSince(int from)
    {
        lock (_gate)
        {
            return _lines.Skip(from).ToArray();
        }
    }

    /// <summary>Asks the worker to stop as a service manager does (SIGTERM; a kill on Windows) and returns its exit code, or null when it did not exit in time.</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else
            {
                _ = SendSignal(_process.Id, Sigterm);
            }
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            (error ? _errors : _lines).Add(line);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
