namespace BusinessBrief.Contracts;

/// <summary>
/// Stop the named revision of a brief: sent by the API to the saga. A cancel for an older revision than the one
/// running (a redelivery after the brief was regenerated) changes nothing.
/// </summary>
public record CancelBrief
{
    public required Guid BriefId { get; init; }
    public required int Revision { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
