using System.Text.Json.Serialization;

namespace BusinessBrief.Contracts;

/// <summary>Published by the website builder (DigitalCloud360) once it built a site from a brief.</summary>
public record WebsiteCreated
{
    public required Guid BriefId { get; init; }

    /// <summary>The site's id in DigitalCloud360, an integer; a builder that still sends it as a numeric string is understood.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public required long WebsiteId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
