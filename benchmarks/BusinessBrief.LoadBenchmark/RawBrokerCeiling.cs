using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// What the broker alone can move on this machine right now: persistent messages of the system's typical size,
/// published with confirms to a durable queue while a consumer acknowledges them one by one. The system can at
/// best reach this rate divided by the messages one brief costs.
/// </summary>
public static class RawBrokerCeiling
{
    const int MaxMessages = 2_000_000;
    const ushort ConsumerPrefetch = 200;
    static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RawCeiling> Measure(Uri rabbitMq, int messageBytes, TimeSpan duration, int confirmsInFlight,
        CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "bench-raw-ceiling" };
        await using var publisherConnection = await factory.CreateConnectionAsync(cancellationToken);
        await using var consumerConnection = await factory.CreateConnectionAsync(cancellationToken);
        // Tracking on: each BasicPublishAsync completes when the broker confirmed it (on disk, for a persistent
        // message on a durable queue). The library's own throttling is off; the window below sets the pace.
        await using var publisher = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
        await using var consumer = await consumerConnection.CreateChannelAsync(cancellationToken: cancellationToken);

        var queue = $"bench-raw-ceiling-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        try
        {
            long consumed = 0, published = 0, lastConsumedAt = 0;
            await consumer.BasicQosAsync(0, ConsumerPrefetch, global: false, cancellationToken);
            var acknowledging = new AsyncEventingBasicConsumer(consumer);
            acknowledging.ReceivedAsync += async (_, delivery) =>
            {
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                Interlocked.Increment(ref consumed);
                Volatile.Write(ref lastConsumedAt, Stopwatch.GetTimestamp());
            };
            await consumer.BasicConsumeAsync(queue, autoAck: false, acknowledging, cancellationToken);

            var body = new byte[messageBytes];
            Array.Fill(body, (byte)'x');
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };

            var started = Stopwatch.GetTimestamp();
            using var window = new SemaphoreSlim(confirmsInFlight);
            var inFlight = new List<Task>();
            while (Stopwatch.GetElapsedTime(started) < duration && published < MaxMessages)
            {
                await window.WaitAsync(cancellationToken);
                inFlight.Add(PublishConfirmed(publisher, queue, properties, body, window, cancellationToken));
                published++;
                if (inFlight.Count >= 4 * confirmsInFlight)
                    inFlight.RemoveAll(task => task.IsCompletedSuccessfully);
            }
            await Task.WhenAll(inFlight);

            var drainDeadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
            while (Interlocked.Read(ref consumed) < published && Stopwatch.GetTimestamp() < drainDeadline)
                await Task.Delay(10, cancellationToken);

            var moved = Interlocked.Read(ref consumed);
            var elapsed = Stopwatch.GetElapsedTime(started, Volatile.Read(ref lastConsumedAt));
            return new RawCeiling(moved / elapsed.TotalSeconds, moved, messageBytes, confirmsInFlight);
        }
        finally
        {
            await publisher.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }

    static async Task PublishConfirmed(IChannel channel, string queue, BasicProperties properties, byte[] body,
        SemaphoreSlim window, CancellationToken cancellationToken)
    {
        try
        {
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, body, cancellationToken);
        }
        finally
        {
            window.Release();
        }
    }
}

/// <param name="MessagesPerSecond">Messages published, confirmed, delivered and acknowledged per second.</param>
public record RawCeiling(double MessagesPerSecond, long Messages, int MessageBytes, int ConfirmsInFlight);
