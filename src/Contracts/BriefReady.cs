using System.Text.Json;

namespace BusinessBrief.Contracts;

/// <summary>
/// Every section of the brief is completed. Carries the whole brief so that a subscriber
/// (the website builder) needs no call back to the API.
/// </summary>
public record BriefReady
{
    public required Guid BriefId { get; init; }
    public required string UserId { get; init; }
    public required int Revision { get; init; }
    public required BusinessProfile Profile { get; init; }
    public required string Language { get; init; }
    /// <summary>Section name → result.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Sections { get; init; }
    public required double OverallConfidence { get; init; }
    /// <summary>
    /// Sections written from an input that has been regenerated since: usable, but regenerating them would bring
    /// them in line with their inputs. Empty after a first generation or a cascading regeneration.
    /// </summary>
    public IReadOnlyList<string> StaleSections { get; init; } = [];
    public required DateTimeOffset ReadyAt { get; init; }
    /// <summary>What the brief cost over all its revisions.</summary>
    public BriefUsage? Usage { get; init; }
    /// <summary>Section name → what the job that wrote its current result cost.</summary>
    public IReadOnlyDictionary<string, SectionUsage>? SectionUsage { get; init; }
}
