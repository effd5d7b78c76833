using System.Text.Json;

namespace BusinessBrief.Contracts;

public record SubAgentCompleted
{
    public required Guid BriefId { get; init; }
    public required Guid JobId { get; init; }
    public required string Section { get; init; }
    public required int Revision { get; init; }
    /// <summary>The section's result: a JSON object in the section's schema, with its own <c>confidence</c>.</summary>
    public required JsonElement Result { get; init; }
    public required double Confidence { get; init; }
    public required string Backend { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    /// <summary>Absent in messages from agents older than the accounting.</summary>
    public SectionUsage? Usage { get; init; }
}
