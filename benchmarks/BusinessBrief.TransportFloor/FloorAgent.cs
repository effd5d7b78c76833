using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
using MassTransit;

namespace BusinessBrief.TransportFloor;

/// <summary>A section's agent that answers every job at once with the section the offline agent wrote at start-up.</summary>
public class FloorAgent<TAgent>(SampleSections samples, BrokerConfirmDeadline confirmDeadline) : IConsumer<RunSubAgent>
    where TAgent : ISectionAgent
{
    public Task Consume(ConsumeContext<RunSubAgent> context) =>
        context.Publish(new SubAgentCompleted
        {
            BriefId = context.Message.BriefId,
            JobId = context.Message.JobId,
            Section = context.Message.Section,
            Revision = context.Message.Revision,
            Result = samples.Results[TAgent.Section],
            Confidence = 0.8,
            Backend = "offline",
            CompletedAt = DateTimeOffset.UtcNow,
        }, confirmDeadline.Start());
}

/// <summary>The agents' endpoint settings: one queue per section, jobs sent there (never published), the in-memory outbox.</summary>
public class FloorAgentDefinition<TAgent> : ConsumerDefinition<FloorAgent<TAgent>>
    where TAgent : ISectionAgent
{
    public FloorAgentDefinition() => EndpointName = Queues.SubAgent(TAgent.Section);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<FloorAgent<TAgent>> consumer,
        IRegistrationContext context)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.UseInMemoryOutbox(context);
    }
}

public static class FloorAgents
{
    public static void AddFloorAgents(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<FloorAgent<SectionAgent<MarketResearchWriter>>, FloorAgentDefinition<SectionAgent<MarketResearchWriter>>>();
        bus.AddConsumer<FloorAgent<SectionAgent<ContentWriter>>, FloorAgentDefinition<SectionAgent<ContentWriter>>>();
        bus.AddConsumer<FloorAgent<SectionAgent<LogoWriter>>, FloorAgentDefinition<SectionAgent<LogoWriter>>>();
        bus.AddConsumer<FloorAgent<SectionAgent<SeoWriter>>, FloorAgentDefinition<SectionAgent<SeoWriter>>>();
        bus.AddConsumer<FloorAgent<SectionAgent<TemplateWriter>>, FloorAgentDefinition<SectionAgent<TemplateWriter>>>();
    }
}
