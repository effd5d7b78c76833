namespace BusinessBrief.Agents.SubAgents;

public class SubAgentOptions
{
    public const string SectionName = "SubAgents";

    /// <summary>Deadline of one attempt; far below RabbitMQ's 30-minute consumer timeout.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per job before the section is reported failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
