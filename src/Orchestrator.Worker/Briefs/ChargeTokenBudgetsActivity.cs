using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Charges the tokens a sub-agent's answer reports to the brief's owner and to the day's total (<see cref="ITokenCharges"/>),
/// whether the answer completed or failed the section and whether or not it is still awaited: they were paid for all the same.
/// </summary>
public class ChargeTokenBudgetsActivity(ITokenCharges budgets, BriefMetrics metrics) :
    IStateMachineActivity<BriefState, SubAgentCompleted>,
    IStateMachineActivity<BriefState, SubAgentFailed>
{
    public async Task Execute(BehaviorContext<BriefState, SubAgentCompleted> context, IBehavior<BriefState, SubAgentCompleted> next)
    {
        await Charge(context.Saga, context.Message.JobId, context.Message.Section, context.Message.Usage);
        await next.Execute(context);
    }

    public async Task Execute(BehaviorContext<BriefState, SubAgentFailed> context, IBehavior<BriefState, SubAgentFailed> next)
    {
        await Charge(context.Saga, context.Message.JobId, context.Message.Section, context.Message.Usage);
        await next.Execute(context);
    }

    async Task Charge(BriefState brief, Guid jobId, string section, SectionUsage? usage)
    {
        var tokens = (usage?.PromptTokens ?? 0) + (usage?.CompletionTokens ?? 0);
        // Offline answers cost no tokens: they never reach Redis.
        if (tokens > 0 && await budgets.Charge(brief.UserId, jobId, tokens))
            metrics.TokensCharged(section, usage!.Model, tokens);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentCompleted, TException> context,
        IBehavior<BriefState, SubAgentCompleted> next)
        where TException : Exception => next.Faulted(context);

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentFailed, TException> context,
        IBehavior<BriefState, SubAgentFailed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("charge-token-budgets");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
