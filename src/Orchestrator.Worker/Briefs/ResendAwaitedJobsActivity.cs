using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// For a start or regeneration command that was redelivered after it had already been applied: the process may
/// have died before the jobs it stored reached the broker, so they are sent again under their own ids.
/// </summary>
public class ResendAwaitedJobsActivity(SubAgentDispatcher dispatcher) :
    IStateMachineActivity<BriefState, GenerateBrief>,
    IStateMachineActivity<BriefState, RegenerateSections>
{
    public async Task Execute(BehaviorContext<BriefState, GenerateBrief> context, IBehavior<BriefState, GenerateBrief> next)
    {
        await dispatcher.ResendAwaitedJobs(context, context.Saga);
        await next.Execute(context);
    }

    public async Task Execute(BehaviorContext<BriefState, RegenerateSections> context, IBehavior<BriefState, RegenerateSections> next)
    {
        await dispatcher.ResendAwaitedJobs(context, context.Saga);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, GenerateBrief, TException> context,
        IBehavior<BriefState, GenerateBrief> next)
        where TException : Exception => next.Faulted(context);

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, RegenerateSections, TException> context,
        IBehavior<BriefState, RegenerateSections> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("resend-awaited-jobs");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
