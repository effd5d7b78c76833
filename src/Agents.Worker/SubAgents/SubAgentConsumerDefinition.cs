using BusinessBrief.Contracts;
using MassTransit;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>Each section has its own queue (e.g. <c>market-research</c>), which the orchestrator sends jobs to.</summary>
public class SubAgentConsumerDefinition<TAgent> : ConsumerDefinition<RunSubAgentConsumer<TAgent>>
    where TAgent : class, ISectionAgent
{
    public SubAgentConsumerDefinition()
    {
        EndpointName = Queues.SubAgent(TAgent.Section);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<RunSubAgentConsumer<TAgent>> consumer, IRegistrationContext context)
    {
        // Jobs are sent to this queue, never published: binding the RunSubAgent exchange here would hand every
        // published job to all five agents.
        endpoint.ConfigureConsumeTopology = false;
        endpoint.UseInMemoryOutbox(context);
    }
}
