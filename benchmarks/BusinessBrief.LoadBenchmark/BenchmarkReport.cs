using System.Text.Json;
using System.Text.Json.Serialization;

namespace BusinessBrief.LoadBenchmark;

/// <summary>Everything a run measured, before it is summarised.</summary>
public record BenchmarkObservations(
    LoadBenchmarkOptions Options,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    PhaseResult Warmup,
    MessageSizes MessageSizes,
    IReadOnlyList<RawCeiling> RawCeilings,
    PhaseResult MaxRate,
    MessageCounters Messages,
    RedisSnapshot RedisBefore,
    RedisSnapshot RedisAfter,
    FixedRateResult? HalfRate,
    long? HalfRateRedisForks,
    int DuplicateReadyEvents,
    IReadOnlyDictionary<string, ProcessSample> ServicesBefore,
    IReadOnlyDictionary<string, ProcessSample> ServicesAfter,
    IReadOnlyDictionary<string, ProcessSample> ServicesAtEnd,
    double? LoadAverageBefore);

/// <summary>
/// The numbers of one run. <see cref="Ratio"/> is the headline: the share of the broker's own ceiling the system
/// reaches, measured in the same run, so it means the same on a busy machine as on an idle one.
/// </summary>
public record BenchmarkReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required int Briefs { get; init; }
    public required int Concurrency { get; init; }
    public required int Accepted { get; init; }
    /// <summary>Requests the API did not answer 202 (e.g. 429, 503, connection errors), in every phase.</summary>
    public required int Rejected { get; init; }
    /// <summary>Accepted briefs with no BriefReady within the timeout, in every phase (warm-up, max rate, half rate).</summary>
    public required int Lost { get; init; }
    /// <summary>Briefs that polling saw end <c>incomplete</c>.</summary>
    public required int Incomplete { get; init; }
    public required int DuplicateReadyEvents { get; init; }

    public required double BriefsPerS { get; init; }
    /// <summary>Mean of the raw ceilings measured before and after the max-rate run.</summary>
    public required double RawMsgsPerS { get; init; }
    /// <summary>Messages published into the broker per brief of the max-rate run (management API counters).</summary>
    public required double MessagesPerBrief { get; init; }
    public required double DeliveriesPerBrief { get; init; }
    public required double RedeliveriesPerBrief { get; init; }
    /// <summary>briefs/s ÷ (raw msg/s ÷ messages per brief).</summary>
    public required double Ratio { get; init; }

    /// <summary>Latency from POST to BriefReady seen by a subscriber, max-rate run.</summary>
    public required double P50Ms { get; init; }
    public required double P95Ms { get; init; }
    public required double P99Ms { get; init; }
    public required double MaxMs { get; init; }
    /// <summary>Latency from POST to the first poll that saw <c>ready</c>, max-rate run.</summary>
    public required Latencies PollReady { get; init; }
    public required double PollsPerBrief { get; init; }

    public HalfRateReport? HalfRate { get; init; }

    /// <summary>Redis commands per brief of the max-rate run, polls included (server-wide counters).</summary>
    public required double RedisCommandsPerBrief { get; init; }
    public required IReadOnlyDictionary<string, double> RedisCommands { get; init; }
    public required double RedisBytesPerBrief { get; init; }
    /// <summary>What Redis received per brief of the max-rate run: every write's bytes also go to its append-only file.</summary>
    public required double RedisReceivedBytesPerBrief { get; init; }
    /// <summary>
    /// Redis forks (append-only file rewrites, snapshots) during the max-rate run: each child copies the whole dataset
    /// on the same cores, and a brief waits behind it.
    /// </summary>
    public required long RedisForks { get; init; }

    public required IReadOnlyDictionary<string, ServiceUsage> Services { get; init; }
    public required MessageSizes MessageSizes { get; init; }
    public required IReadOnlyList<RawCeiling> RawCeilings { get; init; }
    public required RunInfo Run { get; init; }

    public static BenchmarkReport Of(BenchmarkObservations o)
    {
        var run = o.MaxRate.Outcomes;
        var all = o.Warmup.Outcomes.Concat(run).Concat(o.HalfRate?.Warmup ?? []).Concat(o.HalfRate?.Measured ?? []).ToList();
        var accepted = run.Count(b => b.Accepted);
        var messagesPerBrief = Per(o.Messages.Published, accepted);
        var briefsPerSecond = o.MaxRate.BriefsPerSecond;
        var latency = Latencies.Of(run.Select(b => b.ReadyEventLatency).OfType<TimeSpan>());
        var rawMessagesPerSecond = o.RawCeilings.Average(r => r.MessagesPerSecond);

        return new BenchmarkReport
        {
            Briefs = run.Count,
            Concurrency = o.Options.Concurrency,
            Accepted = accepted,
            Rejected = all.Count(b => !b.Accepted),
            Lost = all.Count(b => b.Lost),
            Incomplete = all.Count(b => b.PolledStatus == "incomplete"),
            DuplicateReadyEvents = o.DuplicateReadyEvents,
            BriefsPerS = Math.Round(briefsPerSecond, 1),
            RawMsgsPerS = Math.Round(rawMessagesPerSecond),
            MessagesPerBrief = messagesPerBrief,
            DeliveriesPerBrief = Per(o.Messages.Delivered, accepted),
            RedeliveriesPerBrief = Per(o.Messages.Redelivered, accepted),
            Ratio = rawMessagesPerSecond > 0 ? Math.Round(briefsPerSecond * messagesPerBrief / rawMessagesPerSecond, 3) : 0,
            P50Ms = latency.P50Ms,
            P95Ms = latency.P95Ms,
            P99Ms = latency.P99Ms,
            MaxMs = latency.MaxMs,
            PollReady = Latencies.Of(run.Select(b => b.PollLatency).OfType<TimeSpan>()),
            PollsPerBrief = Per(run.Sum(b => b.Polls), accepted),
            HalfRate = o.HalfRate is { } half ? HalfRateReport.Of(half, o.HalfRateRedisForks ?? 0) : null,
            RedisCommandsPerBrief = Per(o.RedisAfter.Commands.Values.Sum() - o.RedisBefore.Commands.Values.Sum(), accepted),
            RedisCommands = RedisSnapshot.CommandsPer(o.RedisBefore, o.RedisAfter, accepted),
            RedisBytesPerBrief = Per(o.RedisAfter.UsedMemoryBytes - o.RedisBefore.UsedMemoryBytes, accepted),
            RedisReceivedBytesPerBrief = Per(o.RedisAfter.ReceivedBytes - o.RedisBefore.ReceivedBytes, accepted),
            RedisForks = o.RedisAfter.Forks - o.RedisBefore.Forks,
            Services = o.ServicesAtEnd.Where(s => o.ServicesBefore.ContainsKey(s.Key) && o.ServicesAfter.ContainsKey(s.Key))
                .ToDictionary(s => s.Key, s => new ServiceUsage(s.Value.Pid, Math.Round(s.Value.PeakRssMb), Math.Round(s.Value.RssMb),
                    Math.Round(1000 * (o.ServicesAfter[s.Key].CpuSeconds - o.ServicesBefore[s.Key].CpuSeconds) / Math.Max(accepted, 1), 2))),
            MessageSizes = o.MessageSizes,
            RawCeilings = o.RawCeilings.Select(r => r with { MessagesPerSecond = Math.Round(r.MessagesPerSecond) }).ToList(),
            Run = new RunInfo(o.StartedAt, Math.Round(o.Duration.TotalSeconds, 1), Environment.ProcessorCount,
                o.Options.WarmupBriefs, o.Options.PollInterval.TotalMilliseconds, Environment.Version.ToString(),
                o.LoadAverageBefore, RunInfo.LoadAverage()),
        };
    }

    static double Per(long count, int briefs) => briefs == 0 ? 0 : Math.Round(count / (double)briefs, 2);

    public void WriteTable(TextWriter output)
    {
        void Row(string name, string value) => output.WriteLine($"  {name,-38} {value}");

        output.WriteLine();
        Row("briefs (accepted / rejected)", $"{Briefs} ({Accepted} / {Rejected} in all phases)");
        Row("lost (no BriefReady in time)", $"{Lost}");
        Row("incomplete / duplicate BriefReady", $"{Incomplete} / {DuplicateReadyEvents}");
        Row("briefs/s (concurrency)", $"{BriefsPerS:0.0} ({Concurrency})");
        Row("raw broker msg/s (before / after)", $"{RawMsgsPerS:0} ({string.Join(" / ", RawCeilings.Select(r => $"{r.MessagesPerSecond:0}"))}; "
            + $"{RawCeilings[0].MessageBytes} B, {RawCeilings[0].ConfirmsInFlight} confirms in flight)");
        Row("messages per brief (deliveries)", $"{MessagesPerBrief:0.##} ({DeliveriesPerBrief:0.##}, {RedeliveriesPerBrief:0.##} redelivered)");
        Row("ratio", $"{Ratio:0.000}");
        Row("POST → BriefReady p50/p95/p99/max ms", $"{P50Ms:0.0} / {P95Ms:0.0} / {P99Ms:0.0} / {MaxMs:0.0}");
        Row("POST → polled ready p50/p95/p99/max ms", $"{PollReady.P50Ms:0.0} / {PollReady.P95Ms:0.0} / {PollReady.P99Ms:0.0} / {PollReady.MaxMs:0.0} ({PollsPerBrief:0.#} polls/brief)");
        if (HalfRate is { } half)
        {
            Row("half rate: briefs/s (briefs measured)", $"{half.RatePerS:0.0} ({half.Briefs}, lost {half.Lost})");
            Row("half rate: BriefReady p50/p95/p99/max", $"{half.P50Ms:0.0} / {half.P95Ms:0.0} / {half.P99Ms:0.0} / {half.MaxMs:0.0} ms");
            Row("half rate: polled ready p50/p99", $"{half.PollReady.P50Ms:0.0} / {half.PollReady.P99Ms:0.0} ms");
            Row("half rate: Redis forks", $"{half.RedisForks}");
        }
        Row("Redis commands per brief", $"{RedisCommandsPerBrief:0.#} ({string.Join(", ", RedisCommands.Take(6).Select(c => $"{c.Key} {c.Value:0.#}"))})");
        Row("Redis memory / received per brief", $"{RedisBytesPerBrief / 1024:0.0} / {RedisReceivedBytesPerBrief / 1024:0.0} KiB");
        Row("Redis forks (AOF rewrites, snapshots)", $"{RedisForks}");
        Row("sub-agent message sizes (job / answer)", $"{MessageSizes.RunSubAgentBytes} / {MessageSizes.SubAgentCompletedBytes} B");
        foreach (var (name, usage) in Services)
            Row($"{name}: RSS peak / now, CPU per brief", $"{usage.PeakRssMb:0} / {usage.RssMb:0} MB, {usage.CpuMsPerBrief:0.00} ms (pid {usage.Pid})");
        Row("CPU per brief, all of the above", $"{Services.Values.Sum(u => u.CpuMsPerBrief):0.00} ms; {Run.Cores} cores give {Run.Cores * 1000 / Math.Max(BriefsPerS, 0.1):0.00} ms per brief at {BriefsPerS:0.0} briefs/s");
        Row("run", $"{Run.DurationS:0} s on {Run.Cores} cores, .NET {Run.Runtime}, load average {Run.LoadAverageBefore} → {Run.LoadAverageAfter}");
        output.WriteLine();
    }
}

/// <param name="RedisForks">Redis forks during the whole fixed-rate run, its warm-up included.</param>
public record HalfRateReport(double RatePerS, int Briefs, int Lost, double P50Ms, double P95Ms, double P99Ms, double MaxMs, Latencies PollReady,
    long RedisForks)
{
    public static HalfRateReport Of(FixedRateResult run, long redisForks)
    {
        var latency = Latencies.Of(run.Measured.Select(b => b.ReadyEventLatency).OfType<TimeSpan>());
        return new HalfRateReport(Math.Round(run.RatePerSecond, 1), run.Measured.Count, run.Measured.Count(b => b.Lost),
            latency.P50Ms, latency.P95Ms, latency.P99Ms, latency.MaxMs,
            Latencies.Of(run.Measured.Select(b => b.PollLatency).OfType<TimeSpan>()), redisForks);
    }
}

/// <param name="LoadAverageBefore">The machine's 1-minute load average when the run started: other work competes for the cores.</param>
public record RunInfo(DateTimeOffset StartedAt, double DurationS, int Cores, int WarmupBriefs, double PollIntervalMs, string Runtime,
    double? LoadAverageBefore, double? LoadAverageAfter)
{
    /// <summary>The 1-minute load average (Linux), or null where there is none.</summary>
    public static double? LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
