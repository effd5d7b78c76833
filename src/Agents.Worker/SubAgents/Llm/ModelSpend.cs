using Microsoft.Extensions.AI;

namespace BusinessBrief.Agents.SubAgents.Llm;

/// <summary>
/// What one job has spent on the language model over all its attempts: its answers are bounded here
/// (<see cref="LlmOptions.MaxAnswersPerJob"/>), and every answer's tokens are accounted, those of a failed attempt too.
/// </summary>
public sealed class ModelSpend
{
    readonly Lock gate = new();
    readonly UsageDetails tokens = new();

    public int Answers { get; private set; }

    /// <summary>The model that answered last, as the provider names it.</summary>
    public string? Model { get; private set; }

    public long? PromptTokens => Read(() => tokens.InputTokenCount);

    public long? CompletionTokens => Read(() => tokens.OutputTokenCount);

    public void Add(ChatResponse response, string configuredModel)
    {
        lock (gate)
        {
            Answers++;
            Model = response.ModelId ?? configuredModel;
            if (response.Usage is { } usage)
                tokens.Add(usage);
        }
    }

    T Read<T>(Func<T> read)
    {
        lock (gate)
            return read();
    }
}
