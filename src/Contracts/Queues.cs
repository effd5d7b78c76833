namespace BusinessBrief.Contracts;

/// <summary>
/// Commands are sent to these queues rather than published, so that a command sent before its consumer ever
/// started waits in a queue that sending declared, instead of vanishing into an exchange with no binding.
/// </summary>
public static class Queues
{
    /// <summary>The orchestrator's saga: <see cref="GenerateBrief"/>, <see cref="RegenerateSections"/>, <see cref="CancelBrief"/>.</summary>
    public const string Briefs = "brief-state";

    /// <summary>
    /// The long-term archive's consumer in the orchestrator: the saga's <see cref="ArchiveBrief"/> and the events after
    /// which a brief is archived (<see cref="WebsiteCreated"/>) or erased (<see cref="BriefDeleted"/>).
    /// </summary>
    public const string Archive = "brief-archive";

    /// <summary>The agents of one section (<c>market_research</c> → <c>market-research</c>).</summary>
    public static string SubAgent(string section) => section.Replace('_', '-');

    public static Uri Address(string queue) => new($"queue:{queue}");
}
