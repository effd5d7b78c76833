namespace BusinessBrief.Contracts;

/// <summary>Every section is terminal but at least one failed for good; the brief can be regenerated.</summary>
public record BriefIncomplete
{
    public required Guid BriefId { get; init; }
    public required string UserId { get; init; }
    public required int Revision { get; init; }
    /// <summary>Failed section name → reason.</summary>
    public required IReadOnlyDictionary<string, string> FailedSections { get; init; }
    public required double BriefCompleteness { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
}
