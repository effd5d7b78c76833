using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BusinessBrief.MicroBenchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
