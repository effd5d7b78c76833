using System.Text;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// Each service's RabbitMQ user (<c>deploy/rabbitmq/permissions</c>) is refused what the service never does, so a
/// compromised agents process cannot order briefs, read the saga's queue or forge a brief's announcement. That each
/// service works with its own user is shown by every end-to-end test: <see cref="EndToEnd.BriefSystemFixture"/> runs them so.
/// </summary>
public sealed class BrokerPermissionTests : IAsyncLifetime
{
    readonly string virtualHost = TestInfrastructure.UniqueName("perm");

    public async Task InitializeAsync()
    {
        await TestInfrastructure.CreateVirtualHost(virtualHost);
        await TestInfrastructure.CreateServiceUsers(virtualHost);
        // The topology as the services leave it, declared by the administrator so that only permissions can refuse.
        await using var admin = await Connect(TestInfrastructure.RabbitMqConnectionString(virtualHost));
        await using var channel = await admin.CreateChannelAsync();
        foreach (var queue in new[] { Queues.Briefs, Queues.SubAgent(SectionNames.MarketResearch) })
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, queue, "");
        }
        foreach (var type in new[] { nameof(GenerateBrief), nameof(BriefReady), nameof(SubAgentCompleted) })
            await channel.ExchangeDeclareAsync(Exchange(type), ExchangeType.Fanout, durable: true);
    }

    public Task DisposeAsync() => TestInfrastructure.DeleteVirtualHost(virtualHost);

    [Theory]
    [InlineData("agents", "publish GenerateBrief", true)]
    [InlineData("agents", "send to brief-state", true)]
    [InlineData("agents", "read brief-state", true)]
    [InlineData("agents", "publish BriefReady", true)]
    [InlineData("api", "publish BriefReady", true)]
    [InlineData("api", "read market-research", true)]
    [InlineData("api", "publish SubAgentCompleted", true)]
    [InlineData("orchestrator", "publish SubAgentCompleted", true)]
    [InlineData("agents", "publish SubAgentCompleted", false)]
    [InlineData("agents", "read market-research", false)]
    [InlineData("api", "send to brief-state", false)]
    [InlineData("orchestrator", "read brief-state", false)]
    [InlineData("orchestrator", "publish BriefReady", false)]
    public async Task A_service_user_may_do_only_what_its_service_does(string service, string action, bool refused)
    {
        await using var connection = await Connect(TestInfrastructure.RabbitMqConnectionString(virtualHost, service));
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        var failure = await Record.ExceptionAsync(() => Do(channel, action));

        if (refused)
            Assert.Equal((ushort)403, Assert.IsAssignableFrom<OperationInterruptedException>(failure).ShutdownReason?.ReplyCode);
        else
            Assert.Null(failure);
    }

    static async Task Do(IChannel channel, string action)
    {
        var words = action.Split(' ', 2);
        switch (words)
        {
            case ["read", var queue]:
                await channel.BasicGetAsync(queue, autoAck: false);
                break;
            case ["publish", var type]:
                await Publish(channel, Exchange(type));
                break;
            default:
                await Publish(channel, words[1]["to ".Length..]);
                break;
        }
    }

    static async Task Publish(IChannel channel, string exchange) =>
        await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), Encoding.UTF8.GetBytes("{}"));

    static string Exchange(string messageType) => $"BusinessBrief.Contracts:{messageType}";

    static Task<IConnection> Connect(string uri) => new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync();
}
