using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// Runs one sub-agent job: each attempt under a deadline, a bounded number of attempts, then the answer —
/// the section's result, or the reason it failed — with what the job cost. A job is never left without an answer,
/// unless its brief was cancelled or erased meanwhile: then it stops at once and answers nothing, as nobody listens.
/// </summary>
public class RunSubAgentConsumer<TAgent>(TAgent agent, JobCancellations cancellations, IOptionsMonitor<SubAgentOptions> options,
    ResiliencePipelineProvider<string> pipelines, TimeProvider clock, BriefMetrics metrics, BrokerConfirmDeadline confirmDeadline, ILogger<RunSubAgentConsumer<TAgent>> logger)
    : IConsumer<RunSubAgent>
    where TAgent : class, ISectionAgent
{
    public async Task Consume(ConsumeContext<RunSubAgent> context)
    {
        var job = context.Message;
        ThrowIfMalformed(job);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BriefId"] = job.BriefId, ["JobId"] = job.JobId });

        var started = clock.GetTimestamp();
        using var cancellation = cancellations.Watch(job, context.CancellationToken);
        var resilience = ResilienceContextPool.Shared.Get(cancellation.Token);
        var spend = new ModelSpend();
        SectionDraft? draft = null;
        object? failed = null;
        int attempts;
        try
        {
            draft = await pipelines.GetPipeline(TAgent.Section).ExecuteAsync(
                // WaitAsync: an agent that ignores its token still cannot hold the job past its deadline or its cancellation.
                static async (attempt, state) => await state.agent.Write(state.job, state.spend, attempt.CancellationToken).WaitAsync(attempt.CancellationToken),
                resilience, (agent, job, spend));
            attempts = AttemptsOf(resilience);
        }
        catch (Exception) when (cancellation.BriefCancelled)
        {
            logger.LogInformation("{Section} job stopped after {Elapsed:0} ms: its brief was cancelled or erased", TAgent.Section,
                clock.GetElapsedTime(started).TotalMilliseconds);
            metrics.SectionAnswered(TAgent.Section, "cancelled", clock.GetElapsedTime(started));
            return;
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            attempts = AttemptsOf(resilience);
            failed = Failed(job, ex, attempts, started, spend);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }

        // Only the agent's own work above may turn into SubAgentFailed: a fault from here on is retried by MassTransit.
        (object Message, string Outcome) answer = failed is null ? (Completed(job, draft!, attempts, started, spend), "completed") : (failed, "failed");
        metrics.SectionAnswered(TAgent.Section, answer.Outcome, clock.GetElapsedTime(started));
        await context.Publish(answer.Message, answer.Message.GetType(), confirmDeadline.Start());
    }

    SubAgentCompleted Completed(RunSubAgent job, SectionDraft draft, int attempts, long started, ModelSpend spend) => new()
    {
        BriefId = job.BriefId,
        JobId = job.JobId,
        Section = job.Section,
        Revision = job.Revision,
        Result = JsonSerializer.SerializeToElement(draft.Result),
        Confidence = draft.Confidence,
        Backend = draft.Backend,
        CompletedAt = clock.GetUtcNow(),
        Usage = Account(draft.Backend, draft.Model, attempts, started, spend),
    };

    SubAgentFailed Failed(RunSubAgent job, Exception ex, int attempts, long started, ModelSpend spend)
    {
        var settings = options.CurrentValue;
        var backend = settings.BackendFor(TAgent.Section);
        var reason = ReasonFor(ex, attempts, backend, settings);
        logger.LogWarning(ex, "{Section} job failed for good: {Reason}", TAgent.Section, reason);
        return new SubAgentFailed
        {
            BriefId = job.BriefId,
            JobId = job.JobId,
            Section = job.Section,
            Revision = job.Revision,
            Reason = reason,
            FailedAt = clock.GetUtcNow(),
            Usage = Account(backend.Name(), backend == SectionBackend.Llm ? spend.Model ?? settings.Llm.Model : null, attempts, started, spend),
        };
    }

    /// <summary>
    /// Why the job failed, as the brief shows it to its user. A provider's error text can carry its response body,
    /// request ids or an echo of the prompt, so a failure of the language model is told by its kind only (the log has it all).
    /// </summary>
    static string ReasonFor(Exception ex, int attempts, SectionBackend backend, SubAgentOptions settings)
    {
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        return ex switch
        {
            TimeoutRejectedException => $"no answer within {settings.JobTimeout.TotalSeconds:0.#} s, {tries}",
            SectionRejectedException rejected => $"{rejected.Message} ({tries})",
            TimeoutException or OperationCanceledException when backend == SectionBackend.Llm =>
                $"the language model provider did not answer in time ({tries})",
            _ when backend == SectionBackend.Llm => $"the language model provider failed ({tries})",
            _ => $"{ex.Message} ({tries})",
        };
    }

    /// <summary>What the job cost, every answer of every attempt included (rejected ones were paid for too); its tokens also go to the metrics.</summary>
    SectionUsage Account(string backend, string? model, int attempts, long started, ModelSpend spend)
    {
        metrics.TokensSpent(TAgent.Section, model, spend.PromptTokens, spend.CompletionTokens);
        return new SectionUsage
        {
            Backend = backend,
            Model = model,
            Attempts = attempts,
            DurationMs = clock.GetElapsedTime(started).TotalMilliseconds,
            PromptTokens = spend.PromptTokens,
            CompletionTokens = spend.CompletionTokens,
        };
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

    static int AttemptsOf(ResilienceContext resilience) => resilience.Properties.GetValue(SectionJobAttempts.Attempt, 1);
}
