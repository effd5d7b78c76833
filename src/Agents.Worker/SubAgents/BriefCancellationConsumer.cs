using BusinessBrief.Contracts;
using MassTransit;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>Hears that a brief was cancelled or erased and stops its jobs in this process.</summary>
public class BriefCancellationConsumer(JobCancellations jobs, ILogger<BriefCancellationConsumer> logger) :
    IConsumer<BriefCancelled>,
    IConsumer<BriefDeleted>
{
    public Task Consume(ConsumeContext<BriefCancelled> context)
    {
        logger.LogInformation("Brief {BriefId} revision {Revision} cancelled: stopping its jobs", context.Message.BriefId,
            context.Message.Revision);
        jobs.Cancel(context.Message.BriefId, context.Message.Revision);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<BriefDeleted> context)
    {
        logger.LogInformation("Brief {BriefId} erased: stopping its jobs", context.Message.BriefId);
        jobs.Cancel(context.Message.BriefId, int.MaxValue);
        return Task.CompletedTask;
    }
}
