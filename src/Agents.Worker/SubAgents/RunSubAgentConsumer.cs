using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Simmy;
using Polly.Timeout;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// Runs one sub-agent job: each attempt under a deadline, a bounded number of attempts, then the answer —
/// the section's result, or the reason it failed. A job is never left without an answer.
/// </summary>
public class RunSubAgentConsumer<TAgent>(TAgent agent, IOptions<SubAgentOptions> options, TimeProvider clock, BriefMetrics metrics,
    ILogger<RunSubAgentConsumer<TAgent>> logger) : IConsumer<RunSubAgent>
    where TAgent : class, ISectionAgent
{
    public async Task Consume(ConsumeContext<RunSubAgent> context)
    {
        var job = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BriefId"] = job.BriefId, ["JobId"] = job.JobId });

        var started = clock.GetTimestamp();
        SectionDraft draft;
        try
        {
            draft = await Attempts(options.Value).ExecuteAsync(
                // WaitAsync: an agent that ignores its token still cannot hold the job past its deadline.
                async token => await agent.Write(job, token).WaitAsync(token), context.CancellationToken);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            var reason = ex is TimeoutRejectedException
                ? $"no answer within {options.Value.JobTimeout.TotalSeconds:0.#} s, {options.Value.MaxAttempts} attempts"
                : $"{ex.Message} ({options.Value.MaxAttempts} attempts)";
            logger.LogWarning(ex, "{Section} job failed for good: {Reason}", TAgent.Section, reason);
            metrics.SectionAnswered(TAgent.Section, "failed", clock.GetElapsedTime(started));
            await context.Publish(new SubAgentFailed
            {
                BriefId = job.BriefId,
                JobId = job.JobId,
                Section = job.Section,
                Revision = job.Revision,
                Reason = reason,
                FailedAt = clock.GetUtcNow(),
            });
            return;
        }

        metrics.SectionAnswered(TAgent.Section, "completed", clock.GetElapsedTime(started));
        await context.Publish(new SubAgentCompleted
        {
            BriefId = job.BriefId,
            JobId = job.JobId,
            Section = job.Section,
            Revision = job.Revision,
            Result = JsonSerializer.SerializeToElement(draft.Result),
            Confidence = draft.Confidence,
            Backend = draft.Backend,
            CompletedAt = clock.GetUtcNow(),
        });
    }

    ResiliencePipeline Attempts(SubAgentOptions settings)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                OnRetry = args =>
                {
                    logger.LogInformation(args.Outcome.Exception, "{Section} attempt {Attempt} failed; retrying", TAgent.Section,
                        args.AttemptNumber + 1);
                    metrics.SectionRetried(TAgent.Section);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.JobTimeout);

        if (settings.Chaos.TryGetValue(TAgent.Section, out var chaos))
        {
            pipeline.AddChaosFault(chaos.FaultRate, () => new InvalidOperationException($"injected fault in {TAgent.Section}"));
            pipeline.AddChaosLatency(chaos.LatencyRate, chaos.Latency);
        }

        return pipeline.Build();
    }
}
