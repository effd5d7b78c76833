using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
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
    BrokerConfirmDeadline confirmDeadline, ILogger<RunSubAgentConsumer<TAgent>> logger) : IConsumer<RunSubAgent>
    where TAgent : class, ISectionAgent
{
    public async Task Consume(ConsumeContext<RunSubAgent> context)
    {
        var job = context.Message;
        ThrowIfMalformed(job);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BriefId"] = job.BriefId, ["JobId"] = job.JobId });

        var started = clock.GetTimestamp();
        SectionDraft draft;
        var attempts = 1;
        try
        {
            draft = await Attempts(options.Value, onRetry: () => attempts++).ExecuteAsync(
                // WaitAsync: an agent that ignores its token still cannot hold the job past its deadline.
                async token => await agent.Write(job, token).WaitAsync(token), context.CancellationToken);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
            var reason = ex is TimeoutRejectedException
                ? $"no answer within {options.Value.JobTimeout.TotalSeconds:0.#} s, {tries}"
                : $"{ex.Message} ({tries})";
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
            }, confirmDeadline.Start());
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
        }, confirmDeadline.Start());
    }

    // Missing required members already fail deserialization; these are the jobs that deserialize but that no
    // orchestrator sends. They fault to this queue's _error queue with the reason, instead of being attempted.
    static void ThrowIfMalformed(RunSubAgent job)
    {
        List<string> problems = [];
        if (job.Section != TAgent.Section)
            problems.Add($"section is '{job.Section}' but this queue runs {TAgent.Section}");
        if (job.Profile?.Location is null)
            problems.Add("profile or profile.location is null");
        if (job.BriefId == Guid.Empty || job.JobId == Guid.Empty)
            problems.Add("briefId or jobId is empty");
        if (job.Revision < 1)
            problems.Add($"revision is {job.Revision}");
        if (problems.Count > 0)
            throw new ValidationException($"{nameof(RunSubAgent)} rejected: {string.Join("; ", problems)}.");
    }

    ResiliencePipeline Attempts(SubAgentOptions settings, Action onRetry)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                // A model that kept breaking the schema was already given its correction rounds: starting over would repeat them.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not SectionRejectedException),
                OnRetry = args =>
                {
                    onRetry();
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
