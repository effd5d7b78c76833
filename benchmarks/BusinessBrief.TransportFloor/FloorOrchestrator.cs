using System.Collections.Concurrent;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
using MassTransit;

namespace BusinessBrief.TransportFloor;

/// <summary>
/// The orchestrator's messages without its work: the answers of a brief are kept in memory instead of Redis, each
/// section's job leaves once its inputs answered, and the last answer publishes <see cref="BriefReady"/> and sends
/// <see cref="ArchiveBrief"/>. No state machine, no storage, no deadline index.
/// </summary>
public class FloorOrchestrator(BrokerConfirmDeadline confirmDeadline) : IConsumer<GenerateBrief>, IConsumer<SubAgentCompleted>
{
    // Messages of one brief take turns (the partitioner below), so one brief's entry is never used by two threads at once.
    static readonly ConcurrentDictionary<Guid, FloorBrief> Briefs = new();

    public Task Consume(ConsumeContext<GenerateBrief> context) =>
        SendJobsWhoseInputsAnswered(context, context.Message.BriefId, Briefs.GetOrAdd(context.Message.BriefId, _ => new FloorBrief()));

    public async Task Consume(ConsumeContext<SubAgentCompleted> context)
    {
        var briefId = context.Message.BriefId;
        if (!Briefs.TryGetValue(briefId, out var brief))
            return;
        brief.Answers[context.Message.Section] = context.Message.Result;
        if (brief.Answers.Count < SectionNames.All.Count)
        {
            await SendJobsWhoseInputsAnswered(context, briefId, brief);
            return;
        }

        Briefs.TryRemove(briefId, out _);
        await context.Publish(new BriefReady
        {
            BriefId = briefId,
            UserId = "floor",
            Revision = 1,
            Profile = SampleSections.ExampleProfile,
            Language = "fr",
            Sections = brief.Answers,
            OverallConfidence = 0.8,
            ReadyAt = DateTimeOffset.UtcNow,
        }, confirmDeadline.Start());
        var archive = await context.GetSendEndpoint(Queues.Address(Queues.Archive));
        await archive.Send(new ArchiveBrief { BriefId = briefId, Revision = 1 }, confirmDeadline.Start());
    }

    async Task SendJobsWhoseInputsAnswered(ConsumeContext context, Guid briefId, FloorBrief brief)
    {
        foreach (var section in SectionGraph.Brief.Order)
        {
            if (brief.Sent.Contains(section) || !SectionGraph.Brief.InputsOf(section).All(brief.Answers.ContainsKey))
                continue;
            brief.Sent.Add(section);
            var endpoint = await context.GetSendEndpoint(Queues.Address(Queues.SubAgent(section)));
            await endpoint.Send(FloorMessages.Job(briefId, section, SampleSections.ExampleProfile, brief.Answers), confirmDeadline.Start());
        }
    }

    sealed class FloorBrief
    {
        public Dictionary<string, JsonElement> Answers { get; } = [];

        public HashSet<string> Sent { get; } = [];
    }
}

/// <summary>The saga endpoint's settings: its queue, the in-memory outbox and the partitioner by brief.</summary>
public class FloorOrchestratorDefinition : ConsumerDefinition<FloorOrchestrator>
{
    public FloorOrchestratorDefinition() => EndpointName = Queues.Briefs;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<FloorOrchestrator> consumer,
        IRegistrationContext context)
    {
        endpoint.UseInMemoryOutbox(context);
        var briefs = endpoint.CreatePartitioner(128);
        consumer.Message<GenerateBrief>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        consumer.Message<SubAgentCompleted>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
    }
}

/// <summary>The archive's queue, emptied without copying anything.</summary>
public class FloorArchive : IConsumer<ArchiveBrief>
{
    public Task Consume(ConsumeContext<ArchiveBrief> context) => Task.CompletedTask;
}

public class FloorArchiveDefinition : ConsumerDefinition<FloorArchive>
{
    public FloorArchiveDefinition() => EndpointName = Queues.Archive;
}
