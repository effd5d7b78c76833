using System.Security.Cryptography;
using System.Text;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>The events that tell the rest of the world how a revision of a brief ended.</summary>
public static class BriefAnnouncements
{
    /// <summary>
    /// The same for every publication of one revision's outcome, so a subscriber can recognise an announcement
    /// the saga had to repeat after a crash.
    /// </summary>
    public static Guid MessageId(BriefState brief) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{brief.CorrelationId}/{brief.Revision}/{brief.CurrentState}")).AsSpan(0, 16));

    public static BriefReady Ready(BriefState brief) => new()
    {
        BriefId = brief.CorrelationId,
        UserId = brief.UserId,
        Revision = brief.Revision,
        Profile = brief.Profile,
        Language = brief.Language,
        Sections = brief.Sections.ToDictionary(s => s.Key, s => s.Value.Result!.Value),
        OverallConfidence = brief.OverallConfidence,
        StaleSections = brief.StaleSections,
        ReadyAt = brief.UpdatedAt,
        Usage = brief.Usage,
        SectionUsage = brief.Sections.Where(s => s.Value.Usage is not null).ToDictionary(s => s.Key, s => s.Value.Usage!),
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
