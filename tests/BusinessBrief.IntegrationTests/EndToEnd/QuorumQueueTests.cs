using System.Net;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// The system as <c>./bb up --cluster</c> runs it, on the test broker: a virtual host whose default queue type is quorum,
/// and services given a list of nodes whose first one is down, so that each must move on to the next. Only the API starts
/// at first.
/// </summary>
public sealed class QuorumBriefSystemFixture : BriefSystemFixture
{
    /// <summary>Nothing listens on port 1: a node that refuses every connection, as a dead cluster node does.</summary>
    public const string DeadNode = "127.0.0.1:1";

    protected override string? DefaultQueueType => "quorum";
    protected override bool StartsWorkersWithTheApi => false;
    protected override string RabbitMqNodes => $"{DeadNode},{TestInfrastructure.RabbitMqHost}:5672";
}

/// <summary>Cluster mode's queues: quorum queues (replicated), declared alike by senders and receivers, losing nothing.</summary>
public class QuorumQueueTests(QuorumBriefSystemFixture system) : IClassFixture<QuorumBriefSystemFixture>
{
    [Fact]
    public async Task A_brief_sent_before_any_worker_started_waits_in_a_quorum_queue_and_every_queue_of_the_system_is_quorum()
    {
        Assert.Equal("quorum", await TestInfrastructure.DefaultQueueType(system.VirtualHost));
        var client = system.ClientFor("quorum-user");

        await Eventually.Returns("the API's bus to connect through the second node",
            async () => (await system.AnonymousClient().GetAsync("/health/ready")).StatusCode, status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60));
        var briefId = await client.Submit();

        Assert.Equal("quorum", (await TestInfrastructure.QueueTypes(system.VirtualHost))[Queues.Briefs]);
        Assert.Equal(1u, await TestInfrastructure.MessageCount(system.VirtualHost, Queues.Briefs));

        await system.StartWorkers();
        var brief = await client.WaitUntilSettled(briefId);
        Assert.Equal("ready", brief.GetProperty("status").GetString());

        // A message no sender should produce: the agents fault it to market-research_error, a queue MassTransit declares then.
        await TestInfrastructure.PublishRaw(system.VirtualHost, Queues.SubAgent(SectionNames.MarketResearch), "not json", "application/vnd.masstransit+json");
        // Each receive endpoint declares its queue when it connects, in its own time on a loaded machine.
        string[] expected = [Queues.Briefs, Queues.Archive, .. SectionNames.All.Select(Queues.SubAgent), "market-research_error"];
        var queues = await Eventually.Returns("every queue of the system to be declared", () => TestInfrastructure.QueueTypes(system.VirtualHost),
            found => expected.All(found.ContainsKey) && found.Keys.Any(queue => queue.StartsWith("brief-cancellation-", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60));

        Assert.All(queues, queue => Assert.True(queue.Value == "quorum", $"{queue.Key} is a {queue.Value} queue"));
    }
}
