using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Tells the API's live progress streams that a brief changed, once its new state is stored (not before: a stream
/// woken early would read the old state and wait).
/// </summary>
public class AnnounceBriefChangeFilter(BriefChangeFeed changes) : IFilter<SagaConsumeContext<BriefState>>
{
    public async Task Send(SagaConsumeContext<BriefState> context, IPipe<SagaConsumeContext<BriefState>> next)
    {
        await next.Send(context);
        var briefId = context.Saga.CorrelationId;
        context.WhenStored(() => changes.Announce(briefId));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("announce-brief-change");
}
