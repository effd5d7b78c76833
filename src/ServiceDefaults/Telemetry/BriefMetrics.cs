using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.ServiceDefaults.Telemetry;

/// <summary>
/// The project's own metrics, on the <c>BusinessBrief</c> meter. Each process records what happens in it: the
/// orchestrator the briefs and the deadlines, the agents the sections. Tags stay low-cardinality (no brief id).
/// </summary>
public sealed class BriefMetrics
{
    public const string MeterName = "BusinessBrief";

    readonly Counter<long> started;
    readonly Counter<long> completed;
    readonly Counter<long> incomplete;
    readonly Counter<long> cancelled;
    readonly Counter<long> sectionTokens;
    readonly Histogram<double> sectionDuration;
    readonly Counter<long> sectionRetries;
    readonly Counter<long> deadlineHits;
    readonly Counter<long> tokensCharged;
    readonly Counter<long> budgetRefusals;

    public BriefMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        started = meter.CreateCounter<long>("businessbrief.briefs.started", "{brief}",
            "Generations and regenerations the orchestrator started.");
        completed = meter.CreateCounter<long>("businessbrief.briefs.completed", "{brief}",
            "Revisions that ended with every section completed (ready).");
        incomplete = meter.CreateCounter<long>("businessbrief.briefs.incomplete", "{brief}",
            "Revisions that ended with at least one section failed for good.");
        cancelled = meter.CreateCounter<long>("businessbrief.briefs.cancelled", "{brief}",
            "Revisions their owner cancelled while they ran.");
        sectionTokens = meter.CreateCounter<long>("businessbrief.section.tokens", "{token}",
            "Tokens the llm backend spent on section jobs, by section, model and type (prompt or completion).");
        sectionDuration = meter.CreateHistogram<double>("businessbrief.section.duration", "s",
            "Time an agent took to answer one section job, all attempts included.");
        sectionRetries = meter.CreateCounter<long>("businessbrief.section.retries", "{attempt}",
            "Section attempts that failed and were tried again by the agent.");
        deadlineHits = meter.CreateCounter<long>("businessbrief.section.deadline_hits", "{job}",
            "Section jobs that got no answer within their deadline: re-sent, or failed once re-sent enough.");
        tokensCharged = meter.CreateCounter<long>("businessbrief.budget.tokens_charged", "{token}",
            "Tokens the orchestrator charged to the daily token budgets, once per job, by section and model.");
        budgetRefusals = meter.CreateCounter<long>("businessbrief.budget.refusals", "{request}",
            "Generations and regenerations the API refused because a daily token budget (user or global) was spent.");
    }

    /// <param name="trigger"><c>generate</c> or <c>regenerate</c>.</param>
    public void BriefStarted(string trigger) => started.Add(1, new KeyValuePair<string, object?>("trigger", trigger));

    public void BriefEnded(bool ready)
    {
        if (ready)
            completed.Add(1);
        else
            incomplete.Add(1);
    }

    public void BriefCancelled() => cancelled.Add(1);

    /// <param name="outcome"><c>completed</c>, <c>failed</c>, or <c>cancelled</c> (the brief was cancelled or erased meanwhile).</param>
    public void SectionAnswered(string section, string outcome, TimeSpan duration) =>
        sectionDuration.Record(duration.TotalSeconds, new("section", section), new("outcome", outcome));

    public void TokensSpent(string section, string? model, long? prompt, long? completion)
    {
        if (prompt is > 0)
            sectionTokens.Add(prompt.Value, new("section", section), new("model", model), new("type", "prompt"));
        if (completion is > 0)
            sectionTokens.Add(completion.Value, new("section", section), new("model", model), new("type", "completion"));
    }

    public void SectionRetried(string section) => sectionRetries.Add(1, new KeyValuePair<string, object?>("section", section));

    public void TokensCharged(string section, string? model, long tokens) =>
        tokensCharged.Add(tokens, new("section", section), new("model", model));

    /// <param name="budget"><c>user</c> or <c>global</c>.</param>
    public void BudgetRefused(string budget) => budgetRefusals.Add(1, new KeyValuePair<string, object?>("budget", budget));

    /// <param name="action"><c>resent</c> or <c>failed</c>.</param>
    public void DeadlineHit(string section, string action) =>
        deadlineHits.Add(1, new("section", section), new("action", action));
}

public static class BriefMetricsExtensions
{
    /// <summary>Registers <see cref="BriefMetrics"/>; hosts and test harnesses alike get a meter factory.</summary>
    public static IServiceCollection AddBriefMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BriefMetrics>();
        return services;
    }
}
