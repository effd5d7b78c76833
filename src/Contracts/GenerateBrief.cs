namespace BusinessBrief.Contracts;

/// <summary>Start a brief. Sent by the API once the request is validated; the brief id is the saga's correlation id.</summary>
public record GenerateBrief
{
    public required Guid BriefId { get; init; }
    public required string UserId { get; init; }
    public required BusinessProfile Profile { get; init; }
    public required string Language { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
