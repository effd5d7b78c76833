namespace BusinessBrief.Contracts;

/// <summary>
/// Sent by an orchestrator's deadline watchdog to the brief's saga: some job of the brief may be overdue.
/// The saga re-sends overdue jobs, then marks them failed, so no brief stays generating forever.
/// </summary>
public record CheckSectionDeadlines
{
    public required Guid BriefId { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }
}
