using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Briefs;

public record BriefAccepted(Guid BriefId, string Status, int Revision, string StatusUrl);

public record LocationResponse(string City, string Country);

/// <param name="Usage">What the job that gave the section its current answer cost: backend, model, attempts, time, tokens.</param>
/// <param name="Stale">Written from an input regenerated since (<paramref name="ChangedInputs"/>): usable, but regenerating it brings it in line.</param>
public record SectionStatusResponse(string Status, int Attempts, double? Confidence, DateTimeOffset? UpdatedAt, string? Error,
    SectionUsage? Usage, bool Stale, IReadOnlyList<string> ChangedInputs);

/// <summary>Sub-agent results only; a section not finished is null.</summary>
public record SectionResults(
    JsonElement? MarketResearch,
    JsonElement? ContentGeneration,
    JsonElement? LogoCreation,
    JsonElement? SeoOptimization,
    JsonElement? TemplateSelection)
{
    public static SectionResults Of(BriefState brief)
    {
        JsonElement? ResultOf(string section) => brief.Sections.GetValueOrDefault(section)?.Result;
        return new(
            ResultOf(SectionNames.MarketResearch),
            ResultOf(SectionNames.ContentGeneration),
            ResultOf(SectionNames.LogoCreation),
            ResultOf(SectionNames.SeoOptimization),
            ResultOf(SectionNames.TemplateSelection));
    }
}

/// <summary>The full brief: the fields of the original FastAPI model plus its lifecycle.</summary>
public record BriefResponse(
    Guid BriefId,
    string UserId,
    long CoachingSessionId,
    string BusinessName,
    string Vision,
    string Mission,
    string TargetAudience,
    string Differentiation,
    string ValueProposition,
    string Sector,
    LocationResponse Location,
    string Language,
    JsonElement? MarketResearch,
    JsonElement? ContentGeneration,
    JsonElement? LogoCreation,
    JsonElement? SeoOptimization,
    JsonElement? TemplateSelection,
    double OverallConfidence,
    double BriefCompleteness,
    bool IsReadyForWebsite,
    long? Dc360WebsiteId,
    string Status,
    int Revision,
    IReadOnlyDictionary<string, SectionStatusResponse> Sections,
    BriefUsage Usage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpiresAt)
{
    public static BriefResponse Of(BriefSnapshot stored, DateTimeOffset now)
    {
        var brief = stored.Brief;
        var profile = brief.Profile;
        var results = SectionResults.Of(brief);
        return new(
            brief.CorrelationId,
            brief.UserId,
            profile.CoachingSessionId,
            profile.BusinessName,
            profile.Vision,
            profile.Mission,
            profile.TargetAudience,
            profile.Differentiation,
            profile.ValueProposition,
            profile.Sector,
            new LocationResponse(profile.Location.City, profile.Location.Country),
            brief.Language,
            results.MarketResearch,
            results.ContentGeneration,
            results.LogoCreation,
            results.SeoOptimization,
            results.TemplateSelection,
            Math.Round(brief.OverallConfidence, 4),
            brief.BriefCompleteness,
            brief.IsReadyForWebsite,
            brief.Dc360WebsiteId,
            stored.Status.ToWire(),
            brief.Revision,
            SectionNames.All.ToDictionary(name => name, name => brief.Sections.GetValueOrDefault(name) is { } s
                ? new SectionStatusResponse(s.Status, s.Attempts, s.Confidence, s.UpdatedAt, s.Error, s.Usage, s.IsStale, s.ChangedInputs)
                : new SectionStatusResponse(SectionStatus.Pending, 0, null, null, null, null, false, [])),
            brief.Usage,
            brief.CreatedAt,
            brief.UpdatedAt,
            now + stored.ExpiresIn);
    }
}
