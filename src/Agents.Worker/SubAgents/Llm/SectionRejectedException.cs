using Microsoft.Extensions.AI;

namespace BusinessBrief.Agents.SubAgents.Llm;

/// <summary>
/// The model kept answering something that is not valid for the section, after every correction round.
/// Running the whole job again would only repeat them, so the consumer reports it without a further attempt.
/// </summary>
public class SectionRejectedException(string message, string model, UsageDetails tokens) : Exception(message)
{
    public string Model { get; } = model;

    /// <summary>What the rejected answers cost: they were paid for all the same.</summary>
    public UsageDetails Tokens { get; } = tokens;
}
