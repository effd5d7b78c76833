namespace BusinessBrief.Contracts;

/// <summary>Published by the website builder (DigitalCloud360) once it built a site from a brief.</summary>
public record WebsiteCreated
{
    public required Guid BriefId { get; init; }
    public required string WebsiteId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
