namespace BusinessBrief.Agents.SubAgents.Llm;

/// <summary>An OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, llama.cpp, LM Studio…).</summary>
public class LlmOptions
{
    /// <summary>Named HttpClient that carries the HTTP retry handler.</summary>
    public const string HttpClientName = "llm";

    /// <summary>Base URL of the API, with its version path: <c>https://api.openai.com/v1</c>, <c>http://localhost:11434/v1</c>.</summary>
    public Uri? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>Sent as a bearer token; local servers usually need none.</summary>
    public string? ApiKey { get; set; }

    public float? Temperature { get; set; } = 0.4f;

    /// <summary>How many times an answer that is not valid JSON for the section's schema is sent back for correction.</summary>
    public int MaxRepairs { get; set; } = 2;

    /// <summary>
    /// Tokens one answer may have (sent as <c>max_completion_tokens</c>): the largest valid section, six logo SVGs, fits
    /// in about 8,000; an answer cut short fails its checks and goes to a correction round like any invalid one.
    /// </summary>
    public int MaxOutputTokens { get; set; } = 12_000;

    /// <summary>
    /// Answers one job may pay for, over all its attempts (<c>SubAgents:MaxAttempts</c>) and correction rounds together:
    /// a job that retries after an HTTP fault does not start a fresh set of <see cref="MaxRepairs"/> rounds.
    /// </summary>
    public int MaxAnswersPerJob { get; set; } = 4;

    /// <summary>Retries of one HTTP call on 408, 429, 5xx and network errors, with exponential backoff (honouring Retry-After).</summary>
    public int HttpRetries { get; set; } = 3;

    public TimeSpan HttpRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadline of one HTTP call; the job's own deadline (<c>SubAgents:JobTimeout</c>) bounds the whole job.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
