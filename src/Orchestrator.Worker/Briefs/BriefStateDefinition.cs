using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.Orchestrator.Briefs;

public class BriefStateDefinition : SagaDefinition<BriefState>
{
    public BriefStateDefinition()
    {
        EndpointName = Queues.Briefs;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<BriefState> saga,
        IRegistrationContext context)
    {
        // Redis restarting or failing over: hold the message and wait for it instead of faulting it.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<RedisException>();
            r.Incremental(20, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
        });

        // Five answers for one brief arriving together: all but one lose the compare-and-set and are re-run
        // against the fresh document. Jitter keeps them from colliding again in lockstep.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<ConcurrencyException>();
            r.Exponential(30, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(5));
        });

        // Publishes and sends leave only once the new state is stored: no job for a brief that was not saved,
        // no duplicate jobs from an attempt that lost the compare-and-set.
        endpoint.UseInMemoryOutbox(context);

        // Messages of one brief take turns inside this process instead of racing for the compare-and-set and
        // re-running after losing it; the retry above still settles races between orchestrator processes.
        var briefs = endpoint.CreatePartitioner(Partitions);
        saga.Message<GenerateBrief>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<RegenerateSections>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<SubAgentCompleted>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<SubAgentFailed>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<WebsiteCreated>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
    }

    /// <summary>Twice the default prefetch, so that unrelated briefs rarely share a partition.</summary>
    const int Partitions = 128;
}
