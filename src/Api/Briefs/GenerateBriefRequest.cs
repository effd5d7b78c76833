using BusinessBrief.Contracts;

namespace BusinessBrief.Api.Briefs;

/// <summary>
/// Body of <c>POST /generate</c>. Every property is nullable so that a missing field reaches the validator and
/// is reported by name, instead of failing deserialization as a whole.
/// </summary>
/// <param name="CoachingSessionId">The coaching session's id in the original model: a positive integer, sent as a JSON number.</param>
public record GenerateBriefRequest(
    long? CoachingSessionId,
    string? BusinessName,
    string? Vision,
    string? Mission,
    string? TargetAudience,
    string? Differentiation,
    string? ValueProposition,
    string? Sector,
    LocationRequest? Location,
    string? Language)
{
    /// <summary>The profile of a request the validator accepted, trimmed as it will be stored.</summary>
    public BusinessProfile ToProfile() => new()
    {
        CoachingSessionId = CoachingSessionId!.Value,
        BusinessName = BusinessName!.Trim(),
        Vision = Vision!.Trim(),
        Mission = Mission!.Trim(),
        TargetAudience = TargetAudience!.Trim(),
        Differentiation = Differentiation!.Trim(),
        ValueProposition = ValueProposition!.Trim(),
        Sector = Sector!.Trim(),
        Location = new BusinessLocation { City = Location!.City!.Trim(), Country = Location.Country!.Trim() },
    };
}

public record LocationRequest(string? City, string? Country);
