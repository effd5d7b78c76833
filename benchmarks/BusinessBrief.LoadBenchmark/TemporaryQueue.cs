using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// An exclusive, auto-deleted queue bound to some of the system's exchanges, whose deliveries go to a handler:
/// how the benchmark watches the system's messages without taking any away from its own queues.
/// </summary>
public sealed class TemporaryQueue : IAsyncDisposable
{
    readonly IConnection connection;
    readonly IChannel channel;

    TemporaryQueue(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    /// <param name="exchanges">MassTransit's exchanges are durable fanouts; declaring one that exists is a no-op.</param>
    public static async Task<TemporaryQueue> Start(Uri rabbitMq, string purpose, IEnumerable<string> exchanges,
        Action<BasicDeliverEventArgs> onMessage, CancellationToken cancellationToken)
    {
        var connection = await new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = $"bench-{purpose}" }
            .CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var queue = $"bench-{purpose}-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false,
                cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: cancellationToken);
        }

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            onMessage(delivery);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
        return new TemporaryQueue(connection, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await channel.DisposeAsync();
        await connection.CloseAsync();
        await connection.DisposeAsync();
    }
}
