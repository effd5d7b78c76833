using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>The events that tell the rest of the world how a revision of a brief ended.</summary>
public static class BriefAnnouncements
{
    public static BriefReady Ready(BriefState brief) => new()
    {
        BriefId = brief.CorrelationId,
        UserId = brief.UserId,
        Revision = brief.Revision,
        Profile = brief.Profile,
        Language = brief.Language,
        Sections = brief.Sections.ToDictionary(s => s.Key, s => s.Value.Result!.Value),
        OverallConfidence = brief.OverallConfidence,
        ReadyAt = brief.UpdatedAt,
    };

    public static BriefIncomplete Incomplete(BriefState brief) => new()
    {
        BriefId = brief.CorrelationId,
        UserId = brief.UserId,
        Revision = brief.Revision,
        FailedSections = brief.Sections
            .Where(s => s.Value.Status == SectionStatus.Failed)
            .ToDictionary(s => s.Key, s => s.Value.Error ?? "failed"),
        BriefCompleteness = brief.BriefCompleteness,
        EndedAt = brief.UpdatedAt,
    };
}
