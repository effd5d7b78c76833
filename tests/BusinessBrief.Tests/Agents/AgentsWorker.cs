using BusinessBrief.Agents;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.Tests.Agents;

/// <summary>The section agents' consumers on MassTransit's in-memory test harness, as the Agents worker runs them.</summary>
public sealed class AgentsWorker : IAsyncDisposable
{
    readonly ServiceProvider provider;

    AgentsWorker(IDictionary<string, string?> settings) =>
        provider = new ServiceCollection()
            .AddLogging()
            .AddSectionAgents(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<RunSubAgentConsumer<SectionAgent<SeoWriter>>, SubAgentConsumerDefinition<SectionAgent<SeoWriter>>>();
                bus.AddConsumer<RunSubAgentConsumer<SectionAgent<LogoWriter>>, SubAgentConsumerDefinition<SectionAgent<LogoWriter>>>();
                bus.AddBriefCancellationConsumer();
                // A job may take seconds (deadlines, correction rounds): wait for its answer rather than for quiet.
                bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(20));
            })
            .BuildServiceProvider(true);

    public ITestHarness Harness => provider.GetRequiredService<ITestHarness>();

    public static async Task<AgentsWorker> Start(IDictionary<string, string?> settings)
    {
        var worker = new AgentsWorker(settings);
        await worker.Harness.Start();
        return worker;
    }

    /// <summary>Sends the job as the orchestrator does: to the section's queue.</summary>
    public async Task Run(RunSubAgent job)
    {
        var queue = await Harness.Bus.GetSendEndpoint(Queues.Address(Queues.SubAgent(job.Section)));
        await queue.Send(job);
    }

    public async Task<SubAgentCompleted> Completion(RunSubAgent job)
    {
        await Run(job);
        Assert.True(await Harness.Published.Any<SubAgentCompleted>(m => m.Context.Message.JobId == job.JobId), "no SubAgentCompleted was published");
        return Harness.Published.Select<SubAgentCompleted>(m => m.Context.Message.JobId == job.JobId).First().Context.Message;
    }

    public async Task<SubAgentFailed> Failure(RunSubAgent job)
    {
        await Run(job);
        Assert.True(await Harness.Published.Any<SubAgentFailed>(m => m.Context.Message.JobId == job.JobId), "no SubAgentFailed was published");
        return Harness.Published.Select<SubAgentFailed>(m => m.Context.Message.JobId == job.JobId).First().Context.Message;
    }

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}
