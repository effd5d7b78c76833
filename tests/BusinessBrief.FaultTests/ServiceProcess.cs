using System.Diagnostics;

namespace BusinessBrief.FaultTests;

/// <summary>One of our services running as its own OS process, as in production, so it can be killed for real.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly ProcessStartInfo startInfo;
    readonly string logFile;
    Process? process;
    bool ready;

    public ServiceProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        Url = $"http://127.0.0.1:{port}";
        logFile = Path.Combine(logDirectory, $"{name}.log");
        startInfo = new ProcessStartInfo("dotnet", [dll, "--urls", Url])
        {
            // appsettings*.json are read from the working directory: the service's own build output.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            startInfo.Environment[key] = value;
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
    }

    public string Name { get; }
    public string Url { get; }

    public async Task Start()
    {
        ready = false;
        process = Process.Start(startInfo)!;
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilReady();
    }

    /// <summary>SIGKILL: no shutdown hook runs, in-flight messages are simply not acknowledged.</summary>
    public void Kill()
    {
        process?.Kill(entireProcessTree: true);
        process?.WaitForExit();
    }

    /// <summary>
    /// SIGTERM, as a deploy or <c>docker stop</c> sends it: the host stops consuming and lets in-flight messages
    /// finish. Returns how it ended; a process still running after 30 s is killed.
    /// </summary>
    public async Task<ShutdownOutcome> Stop()
    {
        if (process is null || process.HasExited)
            return new ShutdownOutcome(process?.ExitCode, TimeSpan.Zero, Killed: false);
        if (!ready)
        {
            Kill();
            return new ShutdownOutcome(null, TimeSpan.Zero, Killed: true);
        }
        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new ShutdownOutcome(process.ExitCode, clock.Elapsed, Killed: false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            return new ShutdownOutcome(null, clock.Elapsed, Killed: true);
        }
    }

    async Task WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}; see {logFile}");
            try
            {
                if ((await http.GetAsync($"{Url}/health/ready")).IsSuccessStatusCode)
                {
                    ready = true;
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not ready within 60 s; see {logFile}");
    }

    public async ValueTask DisposeAsync() => await Stop();
}

public record ShutdownOutcome(int? ExitCode, TimeSpan Duration, bool Killed);
