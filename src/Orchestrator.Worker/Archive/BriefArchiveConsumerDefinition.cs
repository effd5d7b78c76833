using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>The archive's own queue, <c>brief-archive</c>: archiving waits there while PostgreSQL is away, generation goes on.</summary>
public class BriefArchiveConsumerDefinition : ConsumerDefinition<BriefArchiveConsumer>
{
    public BriefArchiveConsumerDefinition()
    {
        EndpointName = Queues.Archive;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<BriefArchiveConsumer> consumer,
        IRegistrationContext context)
    {
        // At full load briefs end by the hundred per second: a batch makes one PostgreSQL transaction of them, and waits
        // at most a fifth of a second for company, which the brief's owner never sees (Redis serves it meanwhile).
        consumer.Options<BatchOptions>(batch => batch.SetMessageLimit(100).SetTimeLimit(ms: 200));
        // PostgreSQL or Redis restarting: the message stays unacknowledged in the queue and is tried again for about
        // 25 minutes, under RabbitMQ's 30-minute consumer timeout, before it faults to brief-archive_error.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(e => StorageFaults.IsArchiveUnavailable(e) || StorageFaults.IsRedisFailure(e));
            r.Exponential(150, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        });
        // The saga applies WebsiteCreated within moments; a backlog on its queue may take a little longer.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<BriefNotYetUsedException>();
            r.Interval(60, TimeSpan.FromSeconds(1));
        });
    }
}
