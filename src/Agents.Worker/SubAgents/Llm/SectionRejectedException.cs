namespace BusinessBrief.Agents.SubAgents.Llm;

/// <summary>
/// The model kept answering something that is not valid for the section, after every correction round, or the job
/// had all the answers it may pay for. Running the whole job again would only repeat them, so the consumer reports it
/// without a further attempt.
/// </summary>
public class SectionRejectedException(string message) : Exception(message);
