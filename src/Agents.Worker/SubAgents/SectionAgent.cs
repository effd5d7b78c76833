using System.Text.Json.Nodes;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// The agent of one section: writes it with the backend configured for the section (offline by default, or the
/// LLM), checks the result against the section's schema, and gives it a confidence by <see cref="ConfidenceRule"/>.
/// </summary>
public class SectionAgent<TWriter>(TWriter offline, LlmSectionWriter llm, BriefReader reader, SectionSchemas schemas,
    IOptionsMonitor<SubAgentOptions> options) : ISectionAgent
    where TWriter : IOfflineSectionWriter
{
    public static string Section => TWriter.Section;

    public async Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken)
    {
        var brief = reader.Read(job);
        var backend = options.CurrentValue.BackendFor(Section);
        if (backend == SectionBackend.Llm)
        {
            var answer = await llm.Write(job, cancellationToken);
            return Scored(answer.Result, brief, backend, answer.Repairs, feedbackNotFollowed: false) with
            {
                Model = answer.Model,
                Tokens = answer.Tokens,
            };
        }

        var written = offline.Write(brief);
        var result = written.Result;
        var feedbackNotFollowed = brief.Feedback.Given && written.Followed.Count == 0;
        if (brief.Feedback.Given)
            result["feedback_applied"] = FeedbackNotes(brief, written.Followed);
        if (!brief.English)
            FrenchTypography.ApplyTo(result);
        result["confidence"] = 0.0;
        var problems = schemas.Problems(Section, result);
        if (problems.Count > 0)
            throw new InvalidOperationException($"the offline {Section} result breaks its schema: {string.Join("; ", problems.Take(5))}");
        return Scored(result, brief, backend, repairs: 0, feedbackNotFollowed);
    }

    static SectionDraft Scored(JsonObject result, BriefReading brief, SectionBackend backend, int repairs, bool feedbackNotFollowed)
    {
        var confidence = ConfidenceRule.Of(brief, backend, repairs, feedbackNotFollowed);
        result["confidence"] = confidence;
        return new SectionDraft(result, confidence, backend.Name(), typeof(TWriter).Name);
    }

    /// <summary>What was done with the feedback, said honestly: the directions followed, or that none could be.</summary>
    static JsonArray FeedbackNotes(BriefReading brief, IReadOnlyList<FeedbackDirection> followed)
    {
        if (followed.Count > 0)
            return new JsonArray(followed.Distinct().Select(d => (JsonNode)JsonValue.Create(Text.Capitalised(FeedbackReading.Describe(d, brief.Language)))!).ToArray());
        var asked = Text.Shorten(brief.Feedback.Said!, 120);
        return new JsonArray((JsonNode)JsonValue.Create(brief.Say(
            $"Variante n° {brief.Job.Revision} : la génération hors ligne ne sait pas appliquer « {asked} » à cette section ; un modèle de langage (backend llm) le pourrait.",
            $"Variant {brief.Job.Revision}: offline generation cannot apply \"{asked}\" to this section; a language model (llm backend) could."))!);
    }
}
