using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Every line the saga logs while it handles a message carries the brief's id as a structured scope property
/// (<c>BriefId</c>, as in the agents), so an operator filters one brief's story across processes.
/// </summary>
public class BriefLogScopeFilter(ILogger<BriefStateMachine> logger) : IFilter<SagaConsumeContext<BriefState>>
{
    public async Task Send(SagaConsumeContext<BriefState> context, IPipe<SagaConsumeContext<BriefState>> next)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BriefId"] = context.Saga.CorrelationId });
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("brief-log-scope");
}
