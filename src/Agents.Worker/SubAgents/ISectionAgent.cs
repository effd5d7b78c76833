using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using BusinessBrief.Agents.SubAgents.Llm;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>The sub-agent that writes one section of a brief.</summary>
public interface ISectionAgent
{
    /// <summary>The section this agent writes (one of <see cref="SectionNames"/>).</summary>
    static abstract string Section { get; }

    /// <summary>Writes the section for the job's profile, language and feedback; the language model's answers go to <paramref name="spend"/>.</summary>
    Task<SectionDraft> Write(RunSubAgent job, ModelSpend spend, CancellationToken cancellationToken);
}

/// <summary>
/// A section's result: a JSON object in the section's schema, which carries its own <c>confidence</c>; the backend and
/// the model (or offline writer) that wrote it. What the model's answers cost is in the job's <see cref="ModelSpend"/>.
/// </summary>
public record SectionDraft(JsonObject Result, double Confidence, string Backend, string Model);
