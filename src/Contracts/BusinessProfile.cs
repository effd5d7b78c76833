using System.Text.Json.Serialization;

namespace BusinessBrief.Contracts;

/// <summary>What the entrepreneur said in the coaching session: the input of every sub-agent.</summary>
public record BusinessProfile
{
    /// <summary>The coaching session's id in the original model: a positive integer.</summary>
    [JsonConverter(typeof(LegacyIdentifierConverter))]
    public required long CoachingSessionId { get; init; }
    public required string BusinessName { get; init; }
    public required string Vision { get; init; }
    public required string Mission { get; init; }
    public required string TargetAudience { get; init; }
    public required string Differentiation { get; init; }
    public required string ValueProposition { get; init; }
    public required string Sector { get; init; }
    public required BusinessLocation Location { get; init; }
}
