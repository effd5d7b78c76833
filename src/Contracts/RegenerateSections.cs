namespace BusinessBrief.Contracts;

/// <summary>Re-run the named sections of an existing brief; every other section keeps its content.</summary>
public record RegenerateSections
{
    public required Guid BriefId { get; init; }
    public required Guid RequestId { get; init; }
    public required IReadOnlyList<string> Sections { get; init; }
    public string? Feedback { get; init; }
    /// <summary>
    /// Also re-run every section downstream of the named ones (<see cref="SectionGraph.DownstreamOf"/>), each after
    /// its inputs, in the same revision. Without it they keep their content and are marked stale.
    /// </summary>
    public bool Cascade { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
