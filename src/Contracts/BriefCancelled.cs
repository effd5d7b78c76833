namespace BusinessBrief.Contracts;

/// <summary>
/// The saga stopped a revision of a brief: every agent process stops the jobs of that revision (and of earlier
/// ones) that it is running or still has to start; results that arrive anyway are ignored.
/// </summary>
public record BriefCancelled
{
    public required Guid BriefId { get; init; }
    public required string UserId { get; init; }
    public required int Revision { get; init; }
    public required DateTimeOffset CancelledAt { get; init; }
}
