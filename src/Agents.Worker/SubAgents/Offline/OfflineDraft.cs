using System.Text.Json.Nodes;

namespace BusinessBrief.Agents.SubAgents.Offline;

static class OfflineDraft
{
    public const string Backend = "offline";

    public static SectionDraft Of(JsonObject result, double confidence)
    {
        result["confidence"] = confidence;
        return new SectionDraft(result, confidence, Backend);
    }
}
