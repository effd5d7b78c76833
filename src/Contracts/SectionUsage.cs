namespace BusinessBrief.Contracts;

/// <summary>What one sub-agent job cost: the backend and model that answered, its attempts, time and tokens.</summary>
public record SectionUsage
{
    /// <summary><c>offline</c> or <c>llm</c>.</summary>
    public required string Backend { get; init; }
    /// <summary>The chat model that answered (llm), or the offline writer.</summary>
    public string? Model { get; init; }
    /// <summary>Attempts the agent made at this job, the successful one included.</summary>
    public required int Attempts { get; init; }
    /// <summary>Time the agent spent on the job, all attempts and retry delays included.</summary>
    public required double DurationMs { get; init; }
    /// <summary>Tokens of every prompt the model was sent for this job (llm only), correction rounds included.</summary>
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
}
