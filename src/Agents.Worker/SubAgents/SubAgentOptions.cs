namespace BusinessBrief.Agents.SubAgents;

public class SubAgentOptions
{
    public const string SectionName = "SubAgents";

    /// <summary>Deadline of one attempt; far below RabbitMQ's 30-minute consumer timeout.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per job before the section is reported failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Faults injected on purpose, per section name (e.g. <c>SubAgents:Chaos:logo_creation:FaultRate = 1</c>):
    /// how the fault suite makes an agent fail or hang. Empty in every shipped configuration.
    /// </summary>
    public Dictionary<string, SectionChaos> Chaos { get; set; } = [];
}

public class SectionChaos
{
    /// <summary>Share of attempts (0..1) that throw.</summary>
    public double FaultRate { get; set; }

    /// <summary>Share of attempts (0..1) that hang for <see cref="Latency"/> (cut short by the job timeout).</summary>
    public double LatencyRate { get; set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMinutes(10);
}
