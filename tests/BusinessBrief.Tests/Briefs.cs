using System.Text.Json;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests;

/// <summary>Test data: a Dakar business as the coaching session produces it.</summary>
public static class Briefs
{
    public static BusinessProfile DakarBakery => new()
    {
        CoachingSessionId = 4242,
        BusinessName = "Boulangerie Téranga",
        Vision = "Devenir la boulangerie de quartier préférée de Dakar.",
        Mission = "Offrir chaque matin du pain frais et des viennoiseries à prix juste.",
        TargetAudience = "Familles et employés de bureau du Plateau et de Médina",
        Differentiation = "Farine de mil locale et livraison à vélo avant 8 h",
        ValueProposition = "Du pain chaud livré à votre porte avant le travail",
        Sector = "boulangerie",
        Location = new BusinessLocation { City = "Dakar", Country = "Sénégal" },
    };

    public static GenerateBrief Request(Guid briefId, string userId = "awa") => new()
    {
        BriefId = briefId,
        UserId = userId,
        Profile = DakarBakery,
        Language = "fr",
        RequestedAt = DateTimeOffset.UtcNow,
    };

    public static SubAgentCompleted Completed(RunSubAgent job, double confidence = 0.8) => new()
    {
        BriefId = job.BriefId,
        JobId = job.JobId,
        Section = job.Section,
        Revision = job.Revision,
        Result = JsonSerializer.SerializeToElement(new { section = job.Section, revision = job.Revision, confidence }),
        Confidence = confidence,
        Backend = "test",
        CompletedAt = DateTimeOffset.UtcNow,
    };

    public static SubAgentFailed Failed(RunSubAgent job, string reason = "the agent gave up") => new()
    {
        BriefId = job.BriefId,
        JobId = job.JobId,
        Section = job.Section,
        Revision = job.Revision,
        Reason = reason,
        FailedAt = DateTimeOffset.UtcNow,
    };
}
