using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.LoadBenchmark;
using BusinessBrief.ServiceDefaults;
using MassTransit;

namespace BusinessBrief.TransportFloor;

/// <summary>
/// Runs the brief's messages through the floor's two roles in a virtual host of their own (created and deleted here),
/// closed loop as <c>./bb bench</c>'s max-rate run, and reports each role's CPU time per brief from <c>/proc</c>.
/// </summary>
public static class FloorRun
{
    const int OpenLoopWarmupSeconds = 5;

    public static async Task<int> Measure(string[] args)
    {
        if (args.Any(arg => arg is "--help" or "-h"))
        {
            Console.WriteLine(FloorOptions.Usage);
            return 0;
        }
        var options = FloorOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(FloorOptions.Usage);
            return 2;
        }

        using var management = BrokerStatistics.ManagementClient(options.Management);
        await ResetVirtualHost(management, options.VirtualHost, options.RabbitMq.User);
        var address = options.RabbitMq with { VirtualHost = options.VirtualHost };
        var roles = new List<Process>();
        try
        {
            roles.Add(await Start(FloorRole.Orchestrator, address, options.SmallSections));
            roles.Add(await Start(FloorRole.Agents, address, options.SmallSections));
            var briefs = new Briefs();
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(address);
                cfg.ReceiveEndpoint("floor-load", e => e.Handler<BriefReady>(context =>
                {
                    briefs.Ready(context.Message.BriefId);
                    return Task.CompletedTask;
                }));
            });
            await bus.StartAsync();
            try
            {
                var report = await Drive(await bus.GetSendEndpoint(Queues.Address(Queues.Briefs)), briefs, roles, options);
                Console.WriteLine(report);
                if (options.Json is { } file)
                    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
                return report.Lost == 0 ? 0 : 1;
            }
            finally
            {
                await bus.StopAsync();
            }
        }
        finally
        {
            foreach (var role in roles)
                role.Kill(entireProcessTree: true);
            await management.DeleteAsync($"vhosts/{Uri.EscapeDataString(options.VirtualHost)}");
        }
    }

    // The phases of ./bb bench without its HTTP side: warm-up, the closed loop measured, then the open loop.
    static async Task<FloorReport> Drive(ISendEndpoint floor, Briefs briefs, IReadOnlyList<Process> roles, FloorOptions options)
    {
        Console.WriteLine($"floor: warm-up, {options.Warmup} briefs");
        await briefs.Run(floor, options.Warmup, options.Concurrency, options.Timeout);

        var rabbitMqPid = ReadPid(Path.Combine(options.PidDirectory, "rabbitmq.pid"));
        var before = Sample(roles, rabbitMqPid);
        var clock = Stopwatch.StartNew();
        var lost = await briefs.Run(floor, options.Briefs, options.Concurrency, options.Timeout);
        var rate = options.Briefs / clock.Elapsed.TotalSeconds;
        var after = Sample(roles, rabbitMqPid);

        var openLoopRate = options.FixedRate ?? rate / 2;
        Latencies? openLoop = null;
        if (options.HalfRateSeconds > 0)
        {
            Console.WriteLine($"floor: {openLoopRate:0.0} briefs/s for {OpenLoopWarmupSeconds + options.HalfRateSeconds} s (the first {OpenLoopWarmupSeconds} unmeasured)");
            var (latencies, lostOpenLoop) = await briefs.RunAtRate(floor, openLoopRate, OpenLoopWarmupSeconds, options.HalfRateSeconds, options.Timeout);
            openLoop = Latencies.Of(latencies);
            lost += lostOpenLoop;
        }

        return new FloorReport(options.SmallSections ? "small" : "as written", options.Briefs, lost, Math.Round(rate, 1),
            before.Keys.Where(after.ContainsKey).ToDictionary(name => name, name => Math.Round((after[name] - before[name]) * 1000 / options.Briefs, 3)),
            Math.Round(openLoopRate, 1), openLoop, Load());
    }

    // Deleting first empties a virtual host left over by an interrupted run.
    static async Task ResetVirtualHost(HttpClient management, string name, string user)
    {
        var virtualHost = Uri.EscapeDataString(name);
        await management.DeleteAsync($"vhosts/{virtualHost}");
        (await management.PutAsync($"vhosts/{virtualHost}", null)).EnsureSuccessStatusCode();
        (await management.PutAsync($"permissions/{virtualHost}/{Uri.EscapeDataString(user)}",
            JsonContent("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
    }

    static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    static async Task<Process> Start(string role, RabbitMqAddress address, bool smallSections)
    {
        var node = address.Nodes[0];
        var uri = $"amqp://{Uri.EscapeDataString(address.User)}:{Uri.EscapeDataString(address.Password)}@{node}/{Uri.EscapeDataString(address.VirtualHost)}";
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Run through `dotnet app.dll`, the host is dotnet and the application comes first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(typeof(FloorRun).Assembly.Location);
        foreach (var argument in new[] { "role", role, uri, smallSections ? FloorRole.SmallSections : FloorRole.FullSections })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
            if (line == FloorRole.Ready)
            {
                Console.WriteLine($"floor: {role} ready (pid {process.Id})");
                // Its warnings keep coming on that pipe: drained, or a full pipe would stop the role mid-run.
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync() is { } said)
                        Console.Error.WriteLine($"floor {role}: {said}");
                });
                return process;
            }
        throw new InvalidOperationException($"the floor's {role} ended before it was ready (exit code {process.ExitCode})");
    }

    static int? ReadPid(string file) => File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null;

    static Dictionary<string, double> Sample(IReadOnlyList<Process> roles, int? rabbitMqPid)
    {
        var cpu = new Dictionary<string, double>
        {
            ["orchestrator"] = ServiceProcess.Read(roles[0].Id)!.CpuSeconds,
            ["agents"] = ServiceProcess.Read(roles[1].Id)!.CpuSeconds,
            ["load"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        };
        if (rabbitMqPid is { } pid && ServiceProcess.Read(pid) is { } rabbitMq)
            cpu["rabbitmq"] = rabbitMq.CpuSeconds;
        return cpu;
    }

    static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Briefs in flight, each waiting for its <see cref="BriefReady"/>.</summary>
    sealed class Briefs
    {
        readonly ConcurrentDictionary<Guid, TaskCompletionSource> waiting = new();

        public void Ready(Guid briefId)
        {
            if (waiting.TryRemove(briefId, out var brief))
                brief.TrySetResult();
        }

        /// <summary>Closed loop: <paramref name="concurrency"/> clients, each sending its next brief once the last was ready. Returns the briefs lost.</summary>
        public async Task<int> Run(ISendEndpoint floor, int count, int concurrency, TimeSpan timeout)
        {
            var next = 0;
            var lost = 0;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= count)
                    if (!await SendAndWait(floor, timeout))
                        Interlocked.Increment(ref lost);
            }));
            return lost;
        }

        /// <summary>
        /// Open loop: a brief every 1/<paramref name="rate"/> s whether or not the earlier ones are ready, each latency
        /// counted from when its brief was due, so that a stall cannot hide itself. Returns the measured latencies and the
        /// briefs lost.
        /// </summary>
        public async Task<(IReadOnlyCollection<TimeSpan> Latencies, int Lost)> RunAtRate(ISendEndpoint floor, double rate, int warmupSeconds,
            int measuredSeconds, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            var latencies = new ConcurrentBag<TimeSpan>();
            var lost = 0;
            var sent = new List<Task>();
            for (var i = 0; i < (int)(rate * (warmupSeconds + measuredSeconds)); i++)
            {
                var due = TimeSpan.FromSeconds(i / rate);
                if (due > clock.Elapsed)
                    await Task.Delay(due - clock.Elapsed);
                sent.Add(Task.Run(async () =>
                {
                    if (!await SendAndWait(floor, timeout))
                        Interlocked.Increment(ref lost);
                    else if (due.TotalSeconds >= warmupSeconds)
                        latencies.Add(clock.Elapsed - due);
                }));
            }
            await Task.WhenAll(sent);
            return (latencies, lost);
        }

        /// <summary>Sends one brief and waits for its <see cref="BriefReady"/>; false when none came within <paramref name="timeout"/>.</summary>
        async Task<bool> SendAndWait(ISendEndpoint floor, TimeSpan timeout)
        {
            var briefId = Guid.NewGuid();
            var ready = waiting.GetOrAdd(briefId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await floor.Send(new GenerateBrief
            {
                BriefId = briefId,
                UserId = "floor",
                Profile = SampleSections.ExampleProfile,
                Language = "fr",
                RequestedAt = DateTimeOffset.UtcNow,
            });
            if (await Task.WhenAny(ready.Task, Task.Delay(timeout)) == ready.Task)
                return true;
            waiting.TryRemove(briefId, out _);
            return false;
        }
    }
}

public record FloorReport(string Sections, int Briefs, int Lost, double BriefsPerSecond, IReadOnlyDictionary<string, double> CpuMsPerBrief,
    double OpenLoopBriefsPerSecond, Latencies? OpenLoop, string LoadAverage)
{
    public override string ToString() =>
        $"floor: {Briefs} briefs, sections {Sections}, {BriefsPerSecond:0.0} briefs/s, {Lost} lost, load average {LoadAverage}\n" +
        (OpenLoop is null ? "" : $"  at {OpenLoopBriefsPerSecond} briefs/s (open loop): p50 {OpenLoop.P50Ms} ms, p99 {OpenLoop.P99Ms} ms\n") +
        string.Join("\n", CpuMsPerBrief.Select(cpu => $"  {cpu.Key,-12} {cpu.Value,6:0.00} ms CPU per brief"));
}
