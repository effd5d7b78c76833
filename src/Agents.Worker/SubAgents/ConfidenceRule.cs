using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Agents.SubAgents.Offline;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// How sure a section's result is, in 0..1, rounded to two decimals:
/// <code>
/// confidence = floor(backend) + span(backend) × richness − 0.10 × repairs − 0.10 × (feedback given but not followed)
///              − 0.10 × missing inputs
///   offline: floor 0.40, span 0.40  → 0.40..0.80 (rules and templates, no knowledge of the market)
///   llm:     floor 0.50, span 0.45  → 0.50..0.95
/// richness = mean of seven scores, each 0..1:
///   vision, mission, target_audience, differentiation, value_proposition: words / 15, at most 1
///   sector: 1 if it matches a sector of the catalogue, 0.5 otherwise
///   place: 1 if a neighbourhood of a known city is named, 0.6 otherwise
/// repairs = answers of the model rejected (invalid JSON or schema) before a valid one; always 0 offline.
/// missing inputs = sections this one builds on (SectionGraph) that failed, so it was written without them.
/// </code>
/// A result that fails its schema never gets a confidence: the job fails instead.
/// </summary>
public static class ConfidenceRule
{
    const int WordsForAFullAnswer = 15;

    public static double Of(BriefReading brief, SectionBackend backend, int repairs, bool feedbackNotFollowed, int missingInputs)
    {
        var (floor, span) = backend == SectionBackend.Llm ? (0.50, 0.45) : (0.40, 0.40);
        var confidence = floor + span * Richness(brief) - 0.10 * repairs - (feedbackNotFollowed ? 0.10 : 0) - 0.10 * missingInputs;
        return Math.Round(Math.Clamp(confidence, 0, 1), 2);
    }

    /// <summary>How much the entrepreneur's answers give to work with, 0..1.</summary>
    public static double Richness(BriefReading brief)
    {
        var p = brief.Profile;
        var answers = new[] { p.Vision, p.Mission, p.TargetAudience, p.Differentiation, p.ValueProposition }
            .Select(a => Math.Min(1.0, Text.WordCount(a) / (double)WordsForAFullAnswer));
        var sector = brief.Sector.Id == SectorCatalogue.Generic ? 0.5 : 1.0;
        var place = brief.Quartiers.Count > 0 ? 1.0 : 0.6;
        return answers.Append(sector).Append(place).Average();
    }
}
