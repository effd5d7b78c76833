using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// "This brief changed": the orchestrator says it on a Redis pub/sub channel once it stored a new state, and every API
/// instance wakes the live progress streams of that brief. A signal only: the streams read the brief itself, so a lost
/// message costs a few seconds of delay, never a wrong state.
/// </summary>
public class BriefChangeFeed(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> options, ILogger<BriefChangeFeed> logger)
{
    /// <summary>Fire-and-forget: a stream also re-reads on its own, so a failed announcement is only logged.</summary>
    public void Announce(Guid briefId)
    {
        try
        {
            redis.GetSubscriber().Publish(Channel(briefId), "changed", CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogWarning(ex, "Could not announce the change of brief {BriefId}; its progress streams catch up on their own", briefId);
        }
    }

    /// <summary>Starts listening for the changes of one brief; dispose the subscription to stop.</summary>
    public async Task<BriefChangeSubscription> Subscribe(Guid briefId) =>
        new(await redis.GetSubscriber().SubscribeAsync(Channel(briefId)));

    // Sharded (SPUBLISH/SSUBSCRIBE, Redis 7): on a Redis Cluster a change goes only to the master of the brief's slot, not to
    // every node; on a single Redis it behaves as plain pub/sub.
    RedisChannel Channel(Guid briefId) => RedisChannel.Sharded(options.Value.ChangeChannel(briefId));
}

/// <summary>The changes of one brief as a signal to wait for; several changes while nobody waits count as one.</summary>
public sealed class BriefChangeSubscription : IAsyncDisposable
{
    readonly ChannelMessageQueue messages;
    readonly SemaphoreSlim signal = new(0);

    internal BriefChangeSubscription(ChannelMessageQueue messages)
    {
        this.messages = messages;
        messages.OnMessage(_ => signal.Release());
    }

    /// <summary>Pub/sub delivers at most once: a waiter re-reads at least this often, so a lost signal never stalls it.</summary>
    public static readonly TimeSpan ReadAtLeastEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits for a change announced since the last wait, at most <paramref name="atMost"/> and never longer than
    /// <see cref="ReadAtLeastEvery"/>: either way the caller reads the brief again.
    /// </summary>
    public async Task WaitForChange(TimeSpan? atMost, CancellationToken cancellationToken)
    {
        await signal.WaitAsync(atMost < ReadAtLeastEvery ? atMost.Value : ReadAtLeastEvery, cancellationToken);
        while (signal.CurrentCount > 0)
            await signal.WaitAsync(0, cancellationToken);
    }

    // The semaphore is not disposed: a message already being delivered may still release it.
    public async ValueTask DisposeAsync() => await messages.UnsubscribeAsync();
}
