using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// A <see cref="GenerateBrief"/> still queued when its owner erased the brief must not create it again: while the
/// brief's tombstone lasts, the command is dropped (and counted as consumed, so it is not parked in a skipped queue).
/// The insert script refuses tombstoned ids too, so an erasure racing with this check ends in a retry that drops it here.
/// </summary>
public class DropErasedBriefFilter(BriefStore briefs, ILogger<DropErasedBriefFilter> logger)
    : IFilter<ConsumeContext<GenerateBrief>>
{
    public async Task Send(ConsumeContext<GenerateBrief> context, IPipe<ConsumeContext<GenerateBrief>> next)
    {
        if (!await briefs.IsErased(context.Message.BriefId))
        {
            await next.Send(context);
            return;
        }

        logger.LogInformation("Brief {BriefId} was erased by its owner; its GenerateBrief is dropped", context.Message.BriefId);
        await context.NotifyConsumed(context, TimeSpan.Zero, nameof(DropErasedBriefFilter));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("drop-erased-brief");
}
