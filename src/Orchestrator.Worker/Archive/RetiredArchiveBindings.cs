using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// The archive used to subscribe to the outcome events; it now receives <see cref="ArchiveBrief"/>. RabbitMQ keeps the old
/// bindings of an existing <c>brief-archive</c> until they are removed, and every brief would still reach the queue once
/// more only to be skipped there. Removing a binding that is gone already changes nothing, so this runs at every start.
/// </summary>
public class RetiredArchiveBindings(IConfiguration configuration, ILogger<RetiredArchiveBindings> logger) : BackgroundService
{
    public static readonly IReadOnlyList<string> Sources =
        new[] { typeof(BriefReady), typeof(BriefIncomplete), typeof(BriefCancelled) }.Select(type => $"{type.Namespace}:{type.Name}").ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var address = RabbitMqAddress.Parse(configuration.GetConnectionString(RabbitMqBusExtensions.ConnectionName)
            ?? throw new InvalidOperationException($"{RequiredSettings.RabbitMq} is not set."));
        var factory = new ConnectionFactory { UserName = address.User, Password = address.Password, VirtualHost = address.VirtualHost };
        var nodes = address.Nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port)).ToList();
        while (true)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(nodes, "orchestrator-retired-archive-bindings", stoppingToken);
                foreach (var source in Sources)
                    await Unbind(connection, source, stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never fatal: the orchestrator works without this, and an escaping exception would stop its host.
                logger.LogWarning(ex, "Could not remove the archive's retired bindings yet; trying again in 10 s");
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
        }
    }

    static async Task Unbind(IConnection connection, string source, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeUnbindAsync(Queues.Archive, source, routingKey: "", cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            // No such exchange (a broker that never carried the old topology): nothing is bound.
        }
    }
}
