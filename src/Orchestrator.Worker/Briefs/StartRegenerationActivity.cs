using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Starts a new revision that re-runs only the named sections (with cascade, also everything downstream of them);
/// the others keep their content untouched.
/// </summary>
public class StartRegenerationActivity(SubAgentDispatcher dispatcher, TimeProvider clock, BriefMetrics metrics)
    : IStateMachineActivity<BriefState, RegenerateSections>
{
    /// <summary>Enough to make a redelivered request recognisable without letting the document grow forever.</summary>
    const int RememberedRequests = 20;

    public async Task Execute(BehaviorContext<BriefState, RegenerateSections> context, IBehavior<BriefState, RegenerateSections> next)
    {
        var brief = context.Saga;
        var request = context.Message;
        var now = clock.GetUtcNow();

        brief.Revision++;
        brief.Feedback = request.Feedback;
        brief.UpdatedAt = now;
        brief.AppliedRequests.Add(request.RequestId);
        if (brief.AppliedRequests.Count > RememberedRequests)
            brief.AppliedRequests.RemoveAt(0);

        await dispatcher.StartRevision(context, brief, request.Sections.Distinct().ToList(), request.Cascade, now);
        context.WhenStored(() => metrics.BriefStarted("regenerate"));
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, RegenerateSections, TException> context,
        IBehavior<BriefState, RegenerateSections> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-regeneration");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
