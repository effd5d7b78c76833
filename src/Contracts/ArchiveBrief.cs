namespace BusinessBrief.Contracts;

/// <summary>
/// Sent by the saga to the archive's queue when a revision of a brief ends (ready, incomplete, cancelled): the brief
/// is copied from Redis to PostgreSQL. Only the id travels, so the archive never receives the whole brief.
/// </summary>
public record ArchiveBrief
{
    public required Guid BriefId { get; init; }
    public required int Revision { get; init; }
}
