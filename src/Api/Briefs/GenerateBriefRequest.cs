namespace BusinessBrief.Api.Briefs;

/// <summary>
/// Body of <c>POST /generate</c>. Every property is nullable so that a missing field reaches the validator and
/// is reported by name, instead of failing deserialization as a whole.
/// </summary>
public record GenerateBriefRequest(
    string? CoachingSessionId,
    string? BusinessName,
    string? Vision,
    string? Mission,
    string? TargetAudience,
    string? Differentiation,
    string? ValueProposition,
    string? Sector,
    LocationRequest? Location,
    string? Language);

public record LocationRequest(string? City, string? Country);
