using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>Which backend writes a section.</summary>
public enum SectionBackend { Offline, Llm }

public static class SectionBackendNames
{
    /// <summary>As messages and the API name it: <c>offline</c>, <c>llm</c>.</summary>
    public static string Name(this SectionBackend backend) => backend == SectionBackend.Llm ? "llm" : "offline";
}

public class SubAgentOptions
{
    public const string SectionName = "SubAgents";

    /// <summary>Deadline of one attempt; far below RabbitMQ's 30-minute consumer timeout.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per job before the section is reported failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Section name → backend (<c>SubAgents:Backends:logo_creation = llm</c>); a section not listed is offline.</summary>
    public Dictionary<string, SectionBackend> Backends { get; set; } = [];

    /// <summary>The OpenAI-compatible endpoint used by sections whose backend is <see cref="SectionBackend.Llm"/>.</summary>
    public LlmOptions Llm { get; set; } = new();

    public SectionBackend BackendFor(string section) => Backends.GetValueOrDefault(section, SectionBackend.Offline);

    /// <summary>What is wrong with the settings, if anything, said so that an operator can fix it.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var section in Backends.Keys.Where(s => !SectionNames.All.Contains(s)))
            yield return $"{SectionName}:Backends:{section} is not a section; valid sections: {string.Join(", ", SectionNames.All)}.";
        if (Backends.ContainsValue(SectionBackend.Llm) && (Llm.BaseUrl is null || string.IsNullOrWhiteSpace(Llm.Model)))
            yield return $"{SectionName}:Llm:BaseUrl and {SectionName}:Llm:Model are required when a section's backend is llm.";
        if (Llm.MaxRepairs < 0 || Llm.HttpRetries < 0)
            yield return $"{SectionName}:Llm:MaxRepairs and {SectionName}:Llm:HttpRetries cannot be negative.";
        if (Llm.MaxOutputTokens < 1 || Llm.MaxAnswersPerJob < 1)
            yield return $"{SectionName}:Llm:MaxOutputTokens and {SectionName}:Llm:MaxAnswersPerJob must be at least 1.";
        // Polly's own limits: past them it refuses to build the pipeline, and after a failed rebuild it stops reloading.
        if (MaxAttempts < 1)
            yield return $"{SectionName}:MaxAttempts must be at least 1.";
        if (JobTimeout < TimeSpan.FromMilliseconds(10) || JobTimeout > TimeSpan.FromDays(1))
            yield return $"{SectionName}:JobTimeout must be between 10 ms and 1 day.";
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromDays(1))
            yield return $"{SectionName}:RetryDelay must be between 0 and 1 day.";
        foreach (var (section, chaos) in Chaos.Where(c => c.Value.FaultRate is < 0 or > 1 || c.Value.LatencyRate is < 0 or > 1))
            yield return $"{SectionName}:Chaos:{section}: FaultRate and LatencyRate are shares between 0 and 1.";
    }

    /// <summary>
    /// Faults injected on purpose, per section name (e.g. <c>SubAgents:Chaos:logo_creation:FaultRate = 1</c>):
    /// how the fault suite makes an agent fail or hang. Empty in every shipped configuration.
    /// </summary>
    public Dictionary<string, SectionChaos> Chaos { get; set; } = [];
}

public class SectionChaos
{
    /// <summary>Share of attempts (0..1) that throw.</summary>
    public double FaultRate { get; set; }

    /// <summary>Share of attempts (0..1) that hang for <see cref="Latency"/> (cut short by the job timeout).</summary>
    public double LatencyRate { get; set; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMinutes(10);
}
