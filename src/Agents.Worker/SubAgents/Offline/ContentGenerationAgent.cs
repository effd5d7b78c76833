using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

public class ContentGenerationAgent : ISectionAgent
{
    public static string Section => SectionNames.ContentGeneration;

    public Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var p = job.Profile;
        var fr = job.Language == "fr";
        var result = new JsonObject
        {
            ["hero"] = new JsonObject
            {
                ["headline"] = p.BusinessName,
                ["subheadline"] = p.ValueProposition,
                ["call_to_action"] = fr ? "Contactez-nous" : "Contact us",
            },
            ["about"] = p.Mission,
            ["contact"] = new JsonObject { ["city"] = p.Location.City, ["country"] = p.Location.Country },
        };
        return Task.FromResult(OfflineDraft.Of(result, 0.6));
    }
}
