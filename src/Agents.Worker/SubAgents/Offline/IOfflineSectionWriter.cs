using System.Text.Json.Nodes;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Writes one section without a model: deterministic (the same reading always gives the same JSON), in the
/// brief's language, from the inputs only.
/// </summary>
public interface IOfflineSectionWriter
{
    /// <summary>The section this writer writes (one of <see cref="Contracts.SectionNames"/>).</summary>
    static abstract string Section { get; }

    OfflineSection Write(BriefReading brief);
}

/// <summary>A section's content, without <c>confidence</c>, and the feedback directions the writer followed.</summary>
public record OfflineSection(JsonObject Result, IReadOnlyList<FeedbackDirection> Followed);
