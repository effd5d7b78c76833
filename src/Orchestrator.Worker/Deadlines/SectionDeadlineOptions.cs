namespace BusinessBrief.Orchestrator.Deadlines;

public class SectionDeadlineOptions
{
    public const string SectionName = "SectionDeadlines";

    /// <summary>
    /// How long the saga waits for any answer to a job. Longer than the agents' own budget (their per-attempt
    /// timeout × attempts), so it only fires when no agent answered at all: none running, or all crashed.
    /// </summary>
    public TimeSpan JobDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Overdue jobs are re-sent this many times in a revision before the section is marked failed.</summary>
    public int MaxRedispatches { get; set; } = 1;

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
