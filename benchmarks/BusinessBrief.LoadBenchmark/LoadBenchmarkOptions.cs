namespace BusinessBrief.LoadBenchmark;

/// <summary>How hard and how long to drive the system. Every phase is bounded in count and in time.</summary>
public sealed record LoadBenchmarkOptions
{
    /// <summary>Briefs of the closed-loop run that measures the maximum rate.</summary>
    public int Briefs { get; init; } = 2000;

    /// <summary>Clients submitting at once in the closed-loop run, each waiting for its brief before the next.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Briefs run before measuring (JIT, connection pools, queues declared); also where message sizes are sampled.</summary>
    public int WarmupBriefs { get; init; } = 500;

    /// <summary>How long the raw broker publishes in the ceiling measurement.</summary>
    public TimeSpan RawCeilingDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Unconfirmed persistent messages the raw publisher keeps in flight.</summary>
    public int RawConfirmsInFlight { get; init; } = 50;

    /// <summary>Measured part of the fixed-rate run at half the maximum rate; zero skips that run.</summary>
    public TimeSpan HalfRateDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Fixed-rate sending before the measured part, not counted.</summary>
    public TimeSpan HalfRateWarmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a client polls <c>GET /{brief_id}</c> until the brief is ready, as <c>./bb demo</c> does; zero turns
    /// polling off. Faster polling feeds on itself in the fixed-rate run: slower briefs get more polls.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An accepted brief with no <c>BriefReady</c> this long after it was sent is counted lost.</summary>
    public TimeSpan BriefTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keep the briefs in Redis afterwards (they expire by their TTL) instead of deleting them.</summary>
    public bool KeepBriefs { get; init; }

    /// <summary>Where to write each brief's latencies as CSV (phase, when it was due, BriefReady and polled ready), if anywhere.</summary>
    public string? LatenciesFile { get; init; }

    /// <summary>A run of every phase in a few seconds: it shows that the tool works against a stack, never how fast that is.</summary>
    public static LoadBenchmarkOptions Smoke(int briefs) => new()
    {
        Briefs = briefs,
        Concurrency = 2,
        WarmupBriefs = 2,
        RawCeilingDuration = TimeSpan.FromMilliseconds(500),
        HalfRateWarmup = TimeSpan.FromMilliseconds(500),
        HalfRateDuration = TimeSpan.FromSeconds(1),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    public IEnumerable<string> Validate()
    {
        if (Briefs is < 1 or > 1_000_000)
            yield return "briefs must be between 1 and 1,000,000";
        if (Concurrency is < 1 or > 4096)
            yield return "concurrency must be between 1 and 4096";
        if (WarmupBriefs is < 1 or > 100_000)
            yield return "warm-up briefs must be between 1 and 100,000 (message sizes are sampled there)";
        if (RawCeilingDuration <= TimeSpan.Zero || RawCeilingDuration > TimeSpan.FromMinutes(5))
            yield return "the raw ceiling phase must last between 0 and 5 minutes";
        if (RawConfirmsInFlight is < 1 or > 10_000)
            yield return "confirms in flight must be between 1 and 10,000";
        if (HalfRateDuration < TimeSpan.Zero || HalfRateDuration > TimeSpan.FromMinutes(30) || HalfRateWarmup < TimeSpan.Zero)
            yield return "the half-rate run must last between 0 and 30 minutes";
        if (PollInterval < TimeSpan.Zero)
            yield return "the poll interval must not be negative";
        if (BriefTimeout <= TimeSpan.Zero || BriefTimeout > TimeSpan.FromMinutes(10))
            yield return "the brief timeout must be between 0 and 10 minutes";
    }
}
