using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

public class TemplateSelectionAgent : ISectionAgent
{
    public static string Section => SectionNames.TemplateSelection;

    public Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var result = new JsonObject
        {
            ["recommended"] = new JsonArray(new JsonObject { ["template_id"] = "vitrine-locale", ["score"] = 0.7 }),
        };
        return Task.FromResult(OfflineDraft.Of(result, 0.6));
    }
}
