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

        saga.UseFilter(new BriefLogScopeFilter(context.GetRequiredService<ILogger<BriefStateMachine>>()));
    }
}
