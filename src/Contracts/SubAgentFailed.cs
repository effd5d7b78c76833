namespace BusinessBrief.Contracts;

public record SubAgentFailed
{
    public required Guid BriefId { get; init; }
    public required Guid JobId { get; init; }
    public required string Section { get; init; }
    public required int Revision { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
    /// <summary>What the failed job cost; absent in messages from agents older than the accounting.</summary>
    public SectionUsage? Usage { get; init; }
}
