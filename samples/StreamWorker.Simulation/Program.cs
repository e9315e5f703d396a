using StreamWorker.Simulation;

// Plays a fake DingTalk Stream gateway against the StreamWorker sample, started as a child process (loopback only).
//   dotnet run --project samples/StreamWorker.Simulation                  (the worker's own build, run with `dotnet`)
//   dotnet run --project samples/StreamWorker.Simulation -- --worker PATH (e.g. the NativeAOT binary)
// Prints one line per step and exits 0 only when every step is what DingTalk expects.
return await WorkerSimulation.RunAsync(args);
