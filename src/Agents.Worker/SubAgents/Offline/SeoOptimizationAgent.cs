using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

public class SeoOptimizationAgent : ISectionAgent
{
    public static string Section => SectionNames.SeoOptimization;

    public Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var p = job.Profile;
        var title = $"{p.BusinessName} – {p.Sector} à {p.Location.City}";
        var result = new JsonObject
        {
            ["title"] = title.Length <= 60 ? title : title[..60],
            ["meta_description"] = p.ValueProposition.Length <= 160 ? p.ValueProposition : p.ValueProposition[..160],
            ["primary_keywords"] = new JsonArray($"{p.Sector} {p.Location.City}".ToLowerInvariant()),
        };
        return Task.FromResult(OfflineDraft.Of(result, 0.6));
    }
}
