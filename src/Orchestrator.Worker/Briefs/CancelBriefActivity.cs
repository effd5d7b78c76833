using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Stops the running revision: every section still waiting for its agent is cancelled, and the agents are told, so
/// that they abort the jobs they are running (an LLM call in flight included) and skip those still queued.
/// </summary>
public class CancelBriefActivity(SubAgentDispatcher dispatcher, BriefAnnouncements announcements, TimeProvider clock, BriefMetrics metrics)
    : IStateMachineActivity<BriefState, CancelBrief>
{
    public async Task Execute(BehaviorContext<BriefState, CancelBrief> context, IBehavior<BriefState, CancelBrief> next)
    {
        var brief = context.Saga;
        var now = clock.GetUtcNow();
        foreach (var section in brief.Sections.Values.Where(s => !s.IsTerminal))
        {
            section.Status = SectionStatus.Cancelled;
            section.UpdatedAt = now;
        }
        brief.UpdatedAt = now;
        await dispatcher.UpdateDeadlineWatch(brief);

        await announcements.Cancelled(context, brief);
        context.WhenStored(metrics.BriefCancelled);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, CancelBrief, TException> context,
        IBehavior<BriefState, CancelBrief> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("cancel-brief");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
