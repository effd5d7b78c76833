namespace BusinessBrief.Contracts;

/// <summary>
/// Archive the brief now, as it is stored: sent by the API to <see cref="Queues.Archive"/> when its owner asks. Archiving
/// it twice changes nothing.
/// </summary>
public record ArchiveBrief
{
    public required Guid BriefId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
