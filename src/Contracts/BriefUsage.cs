namespace BusinessBrief.Contracts;

/// <summary>What a brief cost so far: the sum over every sub-agent job answered for it, in all its revisions.</summary>
public record BriefUsage
{
    public int Jobs { get; init; }
    public int Attempts { get; init; }
    public double DurationMs { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }

    public BriefUsage Add(SectionUsage job) => new()
    {
        Jobs = Jobs + 1,
        Attempts = Attempts + job.Attempts,
        DurationMs = DurationMs + job.DurationMs,
        PromptTokens = PromptTokens + (job.PromptTokens ?? 0),
        CompletionTokens = CompletionTokens + (job.CompletionTokens ?? 0),
    };
}
