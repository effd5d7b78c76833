using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// Every agents process must hear every cancellation, whichever process runs the brief's jobs: each has a queue of its
/// own, <c>brief-cancellation-&lt;instance&gt;</c>, bound through the shared <c>brief-cancellation</c> exchange to the
/// <see cref="Contracts.BriefCancelled"/> and <see cref="Contracts.BriefDeleted"/> exchanges.
/// </summary>
/// <remarks>
/// The queue is durable, not auto-delete: in a virtual host whose default queue type is quorum it is replicated, so a
/// cancellation published while the node holding this process's connection is down waits in it until the process has
/// reconnected to another node (an auto-delete queue lived on that one node and vanished with it). It expires
/// <see cref="QueueExpiry"/> after its process stopped consuming, so stopped processes leave nothing behind.
/// </remarks>
public class BriefCancellationConsumerDefinition : ConsumerDefinition<BriefCancellationConsumer>
{
    /// <summary>Longer than any reconnection to a surviving node; a job outlives its brief's cancellation by no more.</summary>
    public static readonly TimeSpan QueueExpiry = TimeSpan.FromMinutes(10);

    /// <summary>The exchange every process's queue is bound to (one, not one per process that would outlive it).</summary>
    public const string Exchange = "brief-cancellation";

    public BriefCancellationConsumerDefinition() =>
        Endpoint(e => e.InstanceId = Guid.NewGuid().ToString("N")[..8]);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<BriefCancellationConsumer> consumer, IRegistrationContext context)
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;
        rabbit.QueueExpiration = QueueExpiry;
        // MassTransit names the endpoint's exchange after its queue and exposes no setter for it but its settings.
        if (rabbit is RabbitMqReceiveEndpointConfiguration { Settings: RabbitMqReceiveSettings settings })
            settings.ExchangeName = Exchange;
    }
}
