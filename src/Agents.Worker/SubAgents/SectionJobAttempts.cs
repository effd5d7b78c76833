using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults.Telemetry;
using Polly;
using Polly.DependencyInjection;
using Polly.Retry;
using Polly.Simmy;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// What each job of a section runs under: a bounded number of attempts with exponential backoff, each under the job
/// deadline, plus the faults the fault suite injects. One pipeline per section, built when the agents start and rebuilt
/// when the <c>SubAgents</c> settings change; a job only borrows it.
/// </summary>
public static class SectionJobAttempts
{
    /// <summary>The attempt a job is on: set by each retry, read once the job is done, so its answer can say how many it took.</summary>
    public static readonly ResiliencePropertyKey<int> Attempt = new("businessbrief.attempt");

    public static IServiceCollection AddSectionJobAttempts(this IServiceCollection services)
    {
        foreach (var section in SectionNames.All)
            services.AddResiliencePipeline(section, (pipeline, context) => Configure(pipeline, context, section));
        return services;
    }

    static void Configure(ResiliencePipelineBuilder pipeline, AddResiliencePipelineContext<string> context, string section)
    {
        context.EnableReloads<SubAgentOptions>();
        var settings = context.GetOptions<SubAgentOptions>();
        var metrics = context.ServiceProvider.GetRequiredService<BriefMetrics>();

        // Polly refuses a retry strategy of zero retries: a single attempt means no retry strategy at all.
        if (settings.MaxAttempts > 1)
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                // A model that kept breaking the schema was already given its correction rounds: starting over would repeat them.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not SectionRejectedException),
                // Polly logs each retry with its exception (warning, source "<section>/(null)/Retry"); its per-attempt
                // information lines, which print the whole result, are below the "Polly" level set in appsettings.json.
                OnRetry = args =>
                {
                    args.Context.Properties.Set(Attempt, args.AttemptNumber + 2);
                    metrics.SectionRetried(section);
                    return ValueTask.CompletedTask;
                },
            });
        pipeline.AddTimeout(settings.JobTimeout);

        if (settings.Chaos.TryGetValue(section, out var chaos))
        {
            pipeline.AddChaosFault(chaos.FaultRate, () => new InvalidOperationException($"injected fault in {section}"));
            pipeline.AddChaosLatency(chaos.LatencyRate, chaos.Latency);
        }
    }
}
