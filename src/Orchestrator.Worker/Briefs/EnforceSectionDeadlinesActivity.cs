using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>Re-sends the brief's overdue jobs, or marks their sections failed once they were re-sent enough.</summary>
public class EnforceSectionDeadlinesActivity(SubAgentDispatcher dispatcher, TimeProvider clock)
    : IStateMachineActivity<BriefState, CheckSectionDeadlines>
{
    public async Task Execute(BehaviorContext<BriefState, CheckSectionDeadlines> context,
        IBehavior<BriefState, CheckSectionDeadlines> next)
    {
        var now = clock.GetUtcNow();
        await dispatcher.EnforceDeadlines(context, context.Saga, now);
        context.Saga.UpdatedAt = now;
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, CheckSectionDeadlines, TException> context,
        IBehavior<BriefState, CheckSectionDeadlines> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("enforce-section-deadlines");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
