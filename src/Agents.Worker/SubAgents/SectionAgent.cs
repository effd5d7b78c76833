using System.Text.Json.Nodes;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// The agent of one section: writes it with the backend configured for the section (offline by default, or the
/// LLM) from the profile and the results of the sections it builds on, records in <c>built_on</c> which of those it
/// had, checks the result against the section's schema, and gives it a confidence by <see cref="ConfidenceRule"/>.
/// </summary>
public class SectionAgent<TWriter>(TWriter offline, LlmSectionWriter llm, BriefReader reader, SectionSchemas schemas,
    IOptionsMonitor<SubAgentOptions> options) : ISectionAgent
    where TWriter : IOfflineSectionWriter
{
    public static string Section => TWriter.Section;

    public async Task<SectionDraft> Write(RunSubAgent job, ModelSpend spend, CancellationToken cancellationToken)
    {
        var brief = reader.Read(job);
        var backend = options.CurrentValue.BackendFor(Section);
        if (backend == SectionBackend.Llm)
        {
            var answer = await llm.Write(job, spend, cancellationToken);
            return Scored(WithBuiltOn(answer.Result, brief), brief, backend, answer.Repairs, feedbackNotFollowed: false) with
            {
                Model = spend.Model!,
            };
        }

        var written = offline.Write(brief);
        var result = WithBuiltOn(written.Result, brief);
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
        var missingInputs = SectionGraph.Brief.InputsOf(Section).Count(input => brief.Input(input) is null);
        var confidence = ConfidenceRule.Of(brief, backend, repairs, feedbackNotFollowed, missingInputs);
        result["confidence"] = confidence;
        return new SectionDraft(result, confidence, backend.Name(), typeof(TWriter).Name);
    }

    /// <summary>
    /// Which revision of each input the section was written from, or that it was written without one that failed
    /// (and why): set by the service for both backends, so a user can tell a section built on an old input.
    /// </summary>
    static JsonObject WithBuiltOn(JsonObject result, BriefReading brief)
    {
        var inputs = SectionGraph.Brief.InputsOf(Section);
        if (inputs.Count == 0)
            return result;
        result["built_on"] = new JsonArray(inputs.Select(name =>
        {
            var input = brief.Job.Inputs.FirstOrDefault(i => i.Section == name);
            return (JsonNode)(input is { Result: not null }
                ? new JsonObject { ["section"] = name, ["revision"] = input.Revision, ["used"] = true }
                : new JsonObject
                {
                    ["section"] = name,
                    ["used"] = false,
                    ["note"] = Text.Shorten(brief.Phrase("BuiltWithout", name, input?.Error ?? brief.Phrase("InputNotSent")), 400),
                });
        }).ToArray());
        return result;
    }

    /// <summary>What was done with the feedback, said honestly: the directions followed, or that none could be.</summary>
    static JsonArray FeedbackNotes(BriefReading brief, IReadOnlyList<FeedbackDirection> followed)
    {
        if (followed.Count > 0)
            return new JsonArray(followed.Distinct().Select(d => (JsonNode)JsonValue.Create(Text.Capitalised(brief.Phrase($"FeedbackFollowed_{d}")))!).ToArray());
        var asked = Text.Shorten(brief.Feedback.Said!, 120);
        return new JsonArray((JsonNode)JsonValue.Create(brief.Phrase("FeedbackNotFollowed", brief.Job.Revision, asked))!);
    }
}
