using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using Microsoft.Extensions.AI;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>The sub-agent that writes one section of a brief.</summary>
public interface ISectionAgent
{
    /// <summary>The section this agent writes (one of <see cref="SectionNames"/>).</summary>
    static abstract string Section { get; }

    /// <summary>Writes the section for the job's profile, language and feedback.</summary>
    Task<SectionDraft> Write(RunSubAgent job, CancellationToken cancellationToken);
}

/// <summary>
/// A section's result: a JSON object in the section's schema, which carries its own <c>confidence</c>; the backend and
/// model that wrote it, and the tokens it took (llm backend).
/// </summary>
public record SectionDraft(JsonObject Result, double Confidence, string Backend, string Model, UsageDetails? Tokens = null);
