using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>Creates the brief from the request and starts all five sections: those that need no input at once, the others as their inputs answer.</summary>
public class StartBriefActivity(SubAgentDispatcher dispatcher, TimeProvider clock, BriefMetrics metrics)
    : IStateMachineActivity<BriefState, GenerateBrief>
{
    public async Task Execute(BehaviorContext<BriefState, GenerateBrief> context, IBehavior<BriefState, GenerateBrief> next)
    {
        var brief = context.Saga;
        var request = context.Message;
        var now = clock.GetUtcNow();

        brief.UserId = request.UserId;
        brief.Profile = request.Profile;
        brief.Language = request.Language;
        brief.Revision = 1;
        brief.CreatedAt = request.RequestedAt;
        brief.UpdatedAt = now;

        await dispatcher.StartRevision(context, brief, SectionNames.All, cascade: false, now);
        context.WhenStored(() => metrics.BriefStarted("generate"));
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, GenerateBrief, TException> context,
        IBehavior<BriefState, GenerateBrief> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-brief");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
