using System.Security;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

public class LogoCreationAgent : ISectionAgent
{
    public static string Section => SectionNames.LogoCreation;

    public Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var name = SecurityElement.Escape(job.Profile.BusinessName);
        var svg = $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 120"><rect width="320" height="120" fill="#1F3A5F"/><text x="160" y="70" font-family="sans-serif" font-size="28" fill="#FFFFFF" text-anchor="middle">{name}</text></svg>""";
        var result = new JsonObject
        {
            ["concepts"] = new JsonArray(new JsonObject { ["name"] = "wordmark", ["svg"] = svg }),
            ["palette"] = new JsonArray(
                new JsonObject { ["name"] = "primary", ["hex"] = "#1F3A5F" },
                new JsonObject { ["name"] = "on-primary", ["hex"] = "#FFFFFF" }),
        };
        return Task.FromResult(OfflineDraft.Of(result, 0.6));
    }
}
