using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using BusinessBrief.Contracts;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// A downstream service listening to <see cref="BriefReady"/> on its own queue: the moment it sees a brief's event
/// is when that brief is done for the world. Timestamps are <see cref="Stopwatch"/> ticks taken on receipt.
/// </summary>
public sealed class BriefReadySubscriber : IAsyncDisposable
{
    readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> ready = new();
    TemporaryQueue queue = null!;
    int duplicates;

    /// <summary>BriefReady events seen more than once for the same brief.</summary>
    public int Duplicates => duplicates;

    public static async Task<BriefReadySubscriber> Start(Uri rabbitMq, CancellationToken cancellationToken)
    {
        var subscriber = new BriefReadySubscriber();
        subscriber.queue = await TemporaryQueue.Start(rabbitMq, "brief-ready", [ExchangeOf<BriefReady>()],
            delivery => subscriber.Received(Stopwatch.GetTimestamp(), delivery.Body.Span), cancellationToken);
        return subscriber;
    }

    /// <summary>MassTransit names a message type's exchange <c>Namespace:Type</c>.</summary>
    public static string ExchangeOf<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";

    /// <summary>Completes with the receipt timestamp of the brief's BriefReady, even if it arrived before the call.</summary>
    public Task<long> WhenReady(Guid briefId) => Entry(briefId).Task;

    void Received(long at, ReadOnlySpan<byte> envelope)
    {
        if (!Entry(BriefIdOf(envelope)).TrySetResult(at))
            Interlocked.Increment(ref duplicates);
    }

    TaskCompletionSource<long> Entry(Guid briefId) =>
        ready.GetOrAdd(briefId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    // MassTransit's JSON envelope: { ..., "message": { "briefId": "...", ... } }
    static Guid BriefIdOf(ReadOnlySpan<byte> envelope)
    {
        var reader = new Utf8JsonReader(envelope);
        var depth = 0;
        var inMessage = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    inMessage = reader.ValueTextEquals("message");
                    break;
                case JsonTokenType.PropertyName when depth == 2 && inMessage && reader.ValueTextEquals("briefId"):
                    reader.Read();
                    return reader.GetGuid();
            }
        }
        throw new InvalidDataException("A BriefReady envelope without message.briefId");
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();
}
