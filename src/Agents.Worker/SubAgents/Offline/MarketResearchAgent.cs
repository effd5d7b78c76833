using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

public class MarketResearchAgent : ISectionAgent
{
    public static string Section => SectionNames.MarketResearch;

    public Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var p = job.Profile;
        var fr = job.Language == "fr";
        var result = new JsonObject
        {
            ["summary"] = fr
                ? $"{p.BusinessName} vise {p.TargetAudience} à {p.Location.City} dans le secteur {p.Sector}."
                : $"{p.BusinessName} targets {p.TargetAudience} in {p.Location.City}, in the {p.Sector} sector.",
            ["target_segments"] = new JsonArray(p.TargetAudience),
            ["strengths"] = new JsonArray(p.Differentiation),
            ["opportunities"] = new JsonArray(p.ValueProposition),
            ["provenance"] = fr ? "Analyse dérivée des seules réponses de l'entrepreneur." : "Analysis derived from the entrepreneur's answers only.",
        };
        return Task.FromResult(OfflineDraft.Of(result, 0.6));
    }
}
