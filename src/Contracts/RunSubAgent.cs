using System.Text.Json;

namespace BusinessBrief.Contracts;

/// <summary>One job for one sub-agent. The job id identifies this attempt at this section in this revision.</summary>
public record RunSubAgent
{
    public required Guid BriefId { get; init; }
    public required Guid JobId { get; init; }
    public required string Section { get; init; }
    public required int Revision { get; init; }
    public required BusinessProfile Profile { get; init; }
    public required string Language { get; init; }
    public string? Feedback { get; init; }
    /// <summary>The section's result before this regeneration, so the agent can improve on it.</summary>
    public JsonElement? PreviousResult { get; init; }
    /// <summary>The results of the sections this one builds on (<see cref="SectionGraph"/>), as they stood when the job was sent.</summary>
    public IReadOnlyList<SectionInput> Inputs { get; init; } = [];
}
